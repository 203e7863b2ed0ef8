// EPCIS 2.0 / CBV 2.0, pure: vocabularies, identifiers, timestamps, the event hash and the
// indexed facts of an event. The server validates and stores; these rules decide what is stored.
export * from './cbv.js';
export * from './event-hash.js';
export * from './event-model.js';
export * from './identifiers.js';
export * from './time.js';
export * from './trace.js';
