// The TypeScript side of the shim protocol (L1): the config records the shim reads
// (shim-config.ts) and the messages it writes back (shim-protocol.ts).
export * from './shim-config.js';
export * from './shim-protocol.js';
