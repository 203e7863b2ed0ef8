// @tracemark/codes: the pure trace-code engine. No Node I/O: AES comes in as a BlockCipher.
export { BLOCK_BYTES, type BlockCipher } from './block-cipher.js';
export { FF1_ALPHABET, Ff1, ff1MinLength, ff1Shape, type Ff1Shape } from './ff1.js';
export { FF1_BATCH_CHUNK, FF1_BATCH_MAX_LENGTH, Ff1Batch, type Ff1BatchOptions } from './ff1-batch.js';
export { dammCheckDigit, dammInterim, isDammValid } from './check-digit.js';
export {
  CODE_LAYOUTS,
  CODE_LENGTHS,
  codeLayout,
  normalizeCode,
  parseCode,
  type CodeError,
  type CodeErrorReason,
  type CodeLayout,
  type CodeLength,
  type ParsedCode,
} from './code-layout.js';
export {
  CodeSpaceCodec,
  codeSpaceTweak,
  type CodeSpaceOptions,
  type DecodedCode,
} from './code-space-codec.js';
export {
  GTIN_LENGTHS,
  gs1CheckDigit,
  isValidGtin,
  parseGtin,
  toGtin14,
  type GtinError,
  type GtinErrorReason,
  type ParsedGtin,
} from './gs1.js';
export {
  GS1_SERIAL_MAX_LENGTH,
  buildDigitalLink,
  buildShortLink,
  parseDigitalLinkPath,
  type DigitalLink,
  type DigitalLinkError,
  type DigitalLinkErrorReason,
  type DigitalLinkKeys,
} from './digital-link.js';
export { PIN_MAX_DIGITS, PIN_MIN_DIGITS, PinDeriver } from './pin.js';
