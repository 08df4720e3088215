export { freePort, freePorts } from '../../src/bin/free-port.js';
