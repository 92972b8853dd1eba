/**
 * Password hashing: argon2id, run on libuv's thread pool (never on the event loop, never in a workflow).
 * Defaults follow OWASP's minimum argon2id profile (19 MiB, t=2, p=1): ~45 ms a hash on a 2-core machine,
 * which keeps registration fast while making offline guessing expensive. Raise it with the PASSWORD_HASH_* vars.
 */
import argon2 from 'argon2';

export interface PasswordHashSettings {
  memoryKiB: number;
  iterations: number;
}

export function createPasswordHasher({ memoryKiB, iterations }: PasswordHashSettings) {
  const options = { type: argon2.argon2id, memoryCost: memoryKiB, timeCost: iterations, parallelism: 1 } as const;
  return {
    hash: (password: string) => argon2.hash(password, options),
    verify: (hash: string, password: string) => argon2.verify(hash, password),
  };
}

export type PasswordHasher = ReturnType<typeof createPasswordHasher>;
