// The scan writer's thread (see ThreadedSqliteScanStore): its own connection to the database
// file and the consumer-scan statements; each batch it is sent is read, decided and committed in
// one transaction, and answered with its outcomes, in the order sent. The event loop holds the
// database's write lock while batches are here, so nothing else of the process writes meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { regionDistanceKm } from '@tracemark/core';
import { recordBatch, SqliteScanStatements } from './sqlite-scan-statements.js';
import type { ScanThreadReply, ScanThreadRequest, ScanThreadSetup } from './sqlite-scan-store.js';

const port = parentPort;
if (port === null) throw new Error('the scan writer runs as a worker thread');
const setup = workerData as ScanThreadSetup;

const db = new SQLite(setup.file);
db.pragma(`synchronous = ${setup.synchronous}`);
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = -65536');
db.pragma('mmap_size = 268435456');
db.pragma(`wal_autocheckpoint = ${setup.walAutocheckpoint}`);
const statements = new SqliteScanStatements(db);
const distanceKm = (a: string, b: string): number | undefined => regionDistanceKm(setup.centroids, a, b);

port.on('message', (message: string) => {
  const request = JSON.parse(message) as ScanThreadRequest;
  if (request.type === 'stop') {
    db.close();
    port.close();
    return;
  }
  let reply: ScanThreadReply;
  try {
    reply = { type: 'recorded', outcomes: recordBatch(statements, request.queries, distanceKm) };
  } catch (error) {
    reply = { type: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(JSON.stringify(reply));
});
