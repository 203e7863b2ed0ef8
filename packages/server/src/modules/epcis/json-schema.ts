import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** Where the GS1 artefacts live (`packages/server/data/epcis/`, the same from `src/` and `dist/`). */
export const epcisDataDir = new URL('../../../data/epcis/', import.meta.url);

let validator: ValidateFunction | undefined;

/**
 * GS1's EPCIS 2.0 JSON Schema (EPCISDocument, EPCISQueryDocument or a single event with its
 * `@context`), read from disk and compiled once on first use — never fetched.
 */
function compiled(): ValidateFunction {
  if (validator === undefined) {
    const schema = JSON.parse(
      readFileSync(new URL('EPCIS-JSON-Schema.json', epcisDataDir), 'utf8'),
    ) as object;
    // Stops at the first error: invalid documents are refused whole, and speed matters more
    // than a complete list on the capture path.
    const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    const uri = ajv.formats['uri'];
    if (typeof uri === 'function') {
      const full = uri as (value: string) => boolean;
      ajv.addFormat('uri', (value: string) => plainUrn.test(value) || full(value));
    }
    validator = ajv.compile(schema);
  }
  return validator;
}

// A scheme and a path of plain characters (`urn:epc:id:sgtin:0614141.107346.2017`: most of a
// document's URIs): what ajv-formats' `uri` regex accepts as scheme + path-rootless, checked
// first because that regex (RFC 3986 in full, IPv6 literals and all) was half of validation's
// time. Anything else goes to the full check, so nothing is accepted that was refused.
const plainUrn = /^[a-z][a-z0-9+\-.]*:[a-z0-9\-._~!$&'()*+,;=:@]+$/i;

/** One schema violation: where (JSON pointer) and what. */
export interface SchemaProblem {
  readonly field: string;
  readonly message: string;
}

/** Checks a parsed document or event against the GS1 schema; the problems, or none. */
export function schemaProblems(value: unknown): SchemaProblem[] {
  const validate = compiled();
  if (validate(value)) return [];
  return (validate.errors ?? []).slice(0, 20).map((e: ErrorObject) => ({
    field: e.instancePath === '' ? '/' : e.instancePath,
    message: `${e.message ?? 'is invalid'}${Object.keys(e.params).length > 0 ? ` ${JSON.stringify(e.params)}` : ''}`,
  }));
}

/** The JSON-LD context of EPCIS 2.0 as GS1 publishes it (served at /epcis/context/…). */
export function epcisContextText(): string {
  context ??= readFileSync(new URL('epcis-context.jsonld', epcisDataDir), 'utf8');
  return context;
}
let context: string | undefined;
