export { freePort } from '../../src/bin/free-port.js';
