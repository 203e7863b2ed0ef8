import type { Kysely } from 'kysely';

// Capture without the random index on event hashes (docs/adr/0008-capture-write-path.md). The
// hash index was the one random index every captured event wrote (`event_id` is time-ordered for
// the platform's own events, whose ids are UUIDv7): a leaf page per event, written to the WAL
// whole. Measured on bench:trace at scale 0.15 (1.2 M events): 12,045 → 22,471 events/s, and
// 8.0 M → 2.1 M pwrite calls. The one lookup it served — an event without an eventID whose hash
// equals a stored event's — goes through the event-time index instead: equal hashes mean equal
// event times, because the hash covers the event time.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('epcis_events_hash_ix').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('epcis_events_hash_ix')
    .on('epcis_events')
    .columns(['tenant_id', 'hash'])
    .execute();
}
