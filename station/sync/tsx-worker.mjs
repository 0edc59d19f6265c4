// Starts a TypeScript worker module when the station itself runs from source (tsx, vitest): the
// worker thread does not inherit the parent's loader. The built station (dist/) runs its .js directly.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
