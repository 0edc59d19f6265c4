// The server's tables for PostgreSQL, one file per domain as in ../../schema/ (the SQLite twins).
export * from './users.js';
export * from './sessions.js';
export * from './stations.js';
export * from './journal.js';
export * from './access-log.js';
export * from './issuing.js';
export * from './health.js';
export * from './feed.js';
export * from './officers.js';
export * from './notices.js';
export * from './arrivals.js';
