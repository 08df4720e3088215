export const TEMPLATE_DB = 'arvut_template';
export const ADMIN_URL_ENV = 'ARVUT_TEST_ADMIN_URL';

export function adminUrl(): string {
  const url = process.env[ADMIN_URL_ENV];
  if (!url) throw new Error(`${ADMIN_URL_ENV} is not set: run the tests through jest (global setup starts PostgreSQL)`);
  return url;
}

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}
