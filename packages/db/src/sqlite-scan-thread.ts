// The scan writer's thread (see ThreadedSqliteScanStore): its own connection to the database
// file and the consumer-scan statements; each batch it is sent is read, decided and committed in
// one transaction, and answered with its outcomes, in the order sent. The event loop holds the
// database's write lock while batches are here, so nothing else of the process writes meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import { regionDistances } from '@tracemark/core';
import { openSqliteConnection } from './dialect/sqlite-connection.js';
import type { ScanQuery } from './scan-store.js';
import { SqliteScanStatements } from './sqlite-scan-statements.js';
import type { ScanThreadReply, ScanThreadRequest, ScanThreadSetup } from './sqlite-scan-store.js';

const port = parentPort;
if (port === null) throw new Error('the scan writer runs as a worker thread');
const setup = workerData as ScanThreadSetup;

const db = openSqliteConnection(setup.file, setup.synchronous);
const statements = new SqliteScanStatements(db);
const distanceKm = regionDistances(setup.centroids);

port.on('message', (message: string) => {
  const request = JSON.parse(message) as ScanThreadRequest;
  if (request.type === 'stop') {
    db.close();
    port.close();
    return;
  }
  const lists = request.recalledBatches;
  const queries = request.queries.map((q): ScanQuery => ({
    ...q,
    rule: { ...q.rule, recalledBatches: lists[q.rule.recalledBatches] ?? [] },
  }));
  let reply: ScanThreadReply;
  try {
    reply = { type: 'recorded', outcomes: statements.record(queries, distanceKm) };
  } catch (error) {
    reply = { type: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(JSON.stringify(reply));
});
