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
export { haversineKm, regionDistances, type LatLng, type RegionCentroids } from './regions/distance.js';
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
  decideScan,
  decideVerdict,
  isImplausibleTravel,
  type CodeState,
  type QueryState,
  type QuerySummary,
  type ScanRule,
  type ScanVerdict,
  type Verdict,
  type VerdictInput,
  type VerdictOutcome,
  type WarningReason,
} from './verification.js';
export * from './epcis/index.js';
