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

/**
 * This connection's page cache, KiB: small, because SQLite walks the whole cache at commits. A
 * commit drops the cached pages past the database's end, and a B-tree balance that reorders its
 * new pages swaps them through a scratch page number at the 1 GiB mark (`PENDING_BYTE`): under
 * 1 GiB of database, a commit after such a balance finds that number past the end and goes through
 * every cached page. On bench/scan's page route 737 of 943 commits did (uprobes on SQLite), and
 * with the 64 MiB cache of the other connections that was a third of this thread's time (86–97 µs
 * an answer; 56–61 µs with 2 MiB). The leaves a first query reads are random pages of large
 * indexes; those a small cache misses come from the operating system's cache, a system call each.
 */
const CACHE_KIB = 2048;

const db = openSqliteConnection(setup.file, setup.synchronous, { cacheKiB: CACHE_KIB });
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
