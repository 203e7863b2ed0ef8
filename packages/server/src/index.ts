export { buildApp, type BuildAppOptions } from './app.js';
export { loadConfig, settings, ConfigError, type Config, type SettingDoc } from './config.js';
export { errorCatalogue, AppError, type ErrorCode, type ErrorBody } from './errors.js';
export { startServer, shutdownOnSignals, type RunningServer } from './main.js';
export { hashPassword } from './lib/passwords.js';
export type { App } from './lib/fastify-types.js';
export { systemContext, type ServiceContext } from './lib/context.js';
export { FileStore } from './lib/file-store.js';
export { createPlatformAccount } from './modules/users/service.js';
