export * from './app-error.js';
export * from './viewer.js';
export * from './pagination.js';
export * from './text.js';
export * from './validators.js';
