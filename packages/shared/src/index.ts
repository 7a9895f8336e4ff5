export * from './http.js';
export * from './build.js';
export * from './health.js';
export * from './errors.js';
export * from './scenario.js';
