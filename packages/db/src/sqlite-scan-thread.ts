// The scan writer's thread (see ThreadedSqliteScanStore): its own connection to the database
// file and the consumer-scan statements; the batches it is sent are read, decided and committed
// (those that queued meanwhile in one transaction; if one fails, each again alone) and answered
// with their outcomes, in the order sent. The event loop holds the
// database's write lock while batches are here, so nothing else of the process writes meanwhile.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { regionDistances } from '@tracemark/core';
import { openSqliteConnection } from './dialect/sqlite-connection.js';
import { asError, SqliteScanStatements } from './sqlite-scan-statements.js';
import type { ScanThreadSetup } from './sqlite-scan-store.js';
import { decodeBatch, encodeResults, STOP_MESSAGE } from './sqlite-scan-wire.js';

const port = parentPort;
if (port === null) throw new Error('the scan writer runs as a worker thread');
const setup = workerData as ScanThreadSetup;

const db = openSqliteConnection(setup.file, setup.synchronous);
const statements = new SqliteScanStatements(db);
const distanceKm = regionDistances(setup.centroids);

/** Most batches recorded in one transaction (those waiting when the thread gets to them). */
const MAX_BATCHES = 32;

port.on('message', (first: string) => {
  // The batches that queued while the last transaction ran go in one transaction together: one
  // commit for all of them, and the queue drains faster the longer it is.
  const messages = [first];
  while (messages.length < MAX_BATCHES && messages[messages.length - 1] !== STOP_MESSAGE) {
    const next = receiveMessageOnPort(port);
    if (next === undefined) break;
    messages.push(next.message as string);
  }
  const stop = messages[messages.length - 1] === STOP_MESSAGE;
  const batches = stop ? messages.slice(0, -1) : messages;
  if (batches.length > 0) {
    let reply: string;
    try {
      reply = encodeResults(statements.recordMany(batches.map(decodeBatch), distanceKm));
    } catch (error) {
      const failed = asError(error);
      reply = encodeResults(batches.map(() => failed));
    }
    port.postMessage(reply);
  }
  if (stop) {
    db.close();
    port.close();
  }
});
