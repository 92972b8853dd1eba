/**
 * Structured JSON logs. Personal data and secrets are redacted by path as a second line of defence; the first is
 * never logging request bodies, codes or tokens at all.
 */
import pino, { type Logger } from 'pino';

const REDACT = [
  'password', '*.password', 'passwordHash', '*.passwordHash', 'code', '*.code', 'email', '*.email',
  'clientSecret', '*.clientSecret', 'client_secret', '*.client_secret', 'token', '*.token',
  'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization',
];

export function createLogger(level: string, name: string): Logger {
  return pino({ name, level, redact: { paths: REDACT, censor: '[redacted]' } });
}

export type { Logger };
