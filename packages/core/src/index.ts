export * from './access.js';
export * from './dates.js';
export {
  findRegion,
  isRegionCode,
  isWithinRegion,
  listChildren,
  listProvinces,
  normaliseRegionCode,
  regionLevel,
  regionName,
  regionPath,
  regionPrefix,
  type Region,
  type RegionLevel,
} from './regions/regions.js';
export {
  normaliseUscc,
  orgCodeCheckCharacter,
  USCC_ALPHABET,
  usccCheckCharacter,
  validateUscc,
  type UsccFailure,
  type UsccResult,
} from './uscc.js';
export {
  decideVerdict,
  isImplausibleTravel,
  type CodeState,
  type Verdict,
  type VerdictInput,
  type VerdictOutcome,
  type WarningReason,
} from './verification.js';
export * from './epcis/index.js';
