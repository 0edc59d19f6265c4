// The server's tables, one file per domain. Add new domains' files here (one export line each).
export * from './users.js';
export * from './sessions.js';
export * from './stations.js';
export * from './journal.js';
export * from './access-log.js';
// --- issuing domain (H4): passes, health, zones, policy, keys, feed ---
export * from './issuing.js';
export * from './health.js';
export * from './feed.js';
export * from './officers.js';
export * from './notices.js';
export * from './arrivals.js';
