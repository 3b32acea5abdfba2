export { nodeCrypto } from './node-crypto';
