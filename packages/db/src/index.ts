export * from './database.js';
export * from './ids.js';
export * from './migrate.js';
export * from './repositories/index.js';
export * from './unique-violation.js';
export type * from './schema.js';
export type * from './tables/accounts.js';
export type * from './tables/enterprises.js';
export type * from './tables/products.js';
