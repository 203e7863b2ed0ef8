/** What changed, for caches that hold it. */
export type ChangeTopic =
  /** Anything a scan page shows: product, batch, enterprise, documents, scan settings. */
  | 'scan-presentation'
  /** Code spaces, jobs, activations or voids. */
  | 'codes';

/** A listener of {@link ChangeNotices}. */
export type ChangeListener = (topic: ChangeTopic, tenantId: string) => void;

/**
 * In-process notices that data behind a cache changed, so this process's caches drop it at
 * once. Other processes (several servers on one PostgreSQL) see the change when their cache
 * entries expire — each cache states its time to live.
 */
export class ChangeNotices {
  readonly #listeners = new Set<ChangeListener>();

  /** Tells every listener; a listener that throws does not stop the others. */
  notify(topic: ChangeTopic, tenantId: string): void {
    for (const listener of this.#listeners) {
      try {
        listener(topic, tenantId);
      } catch {
        // A cache that cannot drop an entry will still expire it.
      }
    }
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
