export * from './test-databases.js';
export * from './browser.js';
