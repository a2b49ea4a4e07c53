export * from './labels.js';
export * from './events.js';
export * from './options.js';
export * from './engine.js';
export * from './backend.js';
export * from './deploy.js';
