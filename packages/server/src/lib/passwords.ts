import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../errors.js';

// argon2id (the library's default algorithm) at OWASP's baseline — 19 MiB, 2 passes, 1 lane:
// cheap enough for logins, costly enough for offline guessing.
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** A hash of an unknown password, so a login for a missing user costs as much as a real one. */
let decoy: Promise<string> | undefined;

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

/** Checks a password against a stored hash; `undefined` hash burns the same time and fails. */
export async function verifyPassword(stored: string | undefined, password: string): Promise<boolean> {
  if (stored === undefined) {
    decoy ??= hashPassword('decoy-password-never-matches');
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** Rejects passwords shorter than 10 characters or without both letters and digits. */
export function assertStrongPassword(password: string): void {
  if (password.length < 10 || !/[A-Za-z]/.test(password) || !/\d/.test(password)) {
    throw new AppError('TRACE_AUTH_WEAK_PASSWORD');
  }
}
