export * from './test-databases.js';
export * from './browser.js';
export * from './console-build.js';
