/** A configuration problem the operator must fix; start-up stops with this message. */
export class ConfigError extends Error {}
