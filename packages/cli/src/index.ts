export { main } from './main.js';
export { runDemo, demoUscc, type DemoResult } from './commands/demo.js';
export { ApiClient, ApiError } from './api-client.js';
