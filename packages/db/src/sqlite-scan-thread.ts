// The scan writer's thread (see ThreadedSqliteScanStore): its own connection to the database
// file and the consumer-scan statements; each batch it is sent is read, decided and committed in
// one transaction, and answered with its outcomes, in the order sent. The event loop holds the
// database's write lock while batches are here, so nothing else of the process writes meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import { regionDistances } from '@tracemark/core';
import { openSqliteConnection } from './dialect/sqlite-connection.js';
import { SqliteScanStatements } from './sqlite-scan-statements.js';
import type { ScanThreadSetup } from './sqlite-scan-store.js';
import { decodeBatch, encodeFailure, encodeOutcomes, STOP_MESSAGE } from './sqlite-scan-wire.js';

const port = parentPort;
if (port === null) throw new Error('the scan writer runs as a worker thread');
const setup = workerData as ScanThreadSetup;

const db = openSqliteConnection(setup.file, setup.synchronous);
const statements = new SqliteScanStatements(db);
const distanceKm = regionDistances(setup.centroids);

port.on('message', (message: string) => {
  if (message === STOP_MESSAGE) {
    db.close();
    port.close();
    return;
  }
  let reply: string;
  try {
    reply = encodeOutcomes(statements.record(decodeBatch(message), distanceKm));
  } catch (error) {
    reply = encodeFailure(error instanceof Error ? error.message : String(error));
  }
  port.postMessage(reply);
});
