/** Packing levels of a code (母子码): an item goes into a box, a box into a case, a case onto a pallet. */
export type PackingLevel = 'item' | 'box' | 'case' | 'pallet';

/** `code_spaces`: a block of codes of one length with its own key (码段). */
export interface CodeSpacesTable {
  tenant_id: string;
  id: string;
  name: string;
  code_length: number;
  /** The first digits of every code of the space; unique per length on the platform. */
  prefix: string;
  /** How many serials the space holds (10^field digits). */
  capacity: number;
  /** The next serial a job will take: serials below it are issued. */
  next_serial: number;
  /** The space's FF1 and PIN keys, encrypted under the master key (base64). */
  wrapped_key: string;
  master_key_id: string;
  status: 'active' | 'retired';
  created_by: string;
  created_at: number;
}

/** `code_jobs`: one issue of `count` consecutive serials of a space. */
export interface CodeJobsTable {
  tenant_id: string;
  id: string;
  space_id: string;
  product_id: string | null;
  packing_level: PackingLevel;
  first_serial: number;
  count: number;
  with_pin: number;
  note: string | null;
  created_by: string;
  created_at: number;
}

/** `code_activations`: a range of serials made active for a batch. */
export interface CodeActivationsTable {
  tenant_id: string;
  id: string;
  space_id: string;
  first_serial: number;
  last_serial: number;
  batch_id: string;
  job_id: string;
  activated_by: string;
  activated_at: number;
}

/** `code_packing`: which parent code a code is packed in (only packed codes have a row). */
export interface CodePackingTable {
  tenant_id: string;
  space_id: string;
  serial: number;
  parent_space_id: string;
  parent_serial: number;
  packed_by: string;
  packed_at: number;
}

/** `code_voids`: codes taken out of use (damaged label replaced, destroyed). */
export interface CodeVoidsTable {
  tenant_id: string;
  space_id: string;
  serial: number;
  reason: 'replaced' | 'destroyed';
  replaced_by_space_id: string | null;
  replaced_by_serial: number | null;
  voided_by: string;
  voided_at: number;
}

/** `code_exports`: a file export of a job's codes, produced in the background, resumable. */
export interface CodeExportsTable {
  tenant_id: string;
  id: string;
  job_id: string;
  /** JSON: format, compression, split size, columns. */
  spec: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  codes_written: number;
  /** JSON: the finished files (name, codes, bytes, sha256). */
  files: string;
  error: string | null;
  claimed_by: string | null;
  heartbeat_at: number | null;
  created_by: string;
  created_at: number;
  updated_at: number;
}
