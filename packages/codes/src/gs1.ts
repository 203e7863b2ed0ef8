/**
 * GS1 mod-10 check digit of a digit string (without its check digit): weights 3,1,3,1… from
 * the right, as for GTIN, GLN and SSCC.
 */
export function gs1CheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(digits.length - 1 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10;
}

/** True for a GTIN-8, -12, -13 or -14 with a correct check digit. */
export function isValidGtin(value: string): boolean {
  if (!/^(\d{8}|\d{12,14})$/.test(value)) return false;
  return gs1CheckDigit(value.slice(0, -1)) === value.charCodeAt(value.length - 1) - 48;
}

/** Pads a valid GTIN to the 14 digits used in Digital Link URIs and EPCIS. */
export function toGtin14(value: string): string {
  return value.padStart(14, '0');
}
