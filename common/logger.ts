/**
 * Structured JSON logs. Personal data and secrets are redacted by key as a second line of defence; the first is
 * never logging request bodies, codes or tokens at all. Each key is redacted at the top level and up to three
 * objects deep (`{ customer: { profile: { dob } } }`), in the API's camelCase and the v2 body's snake_case.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

const SENSITIVE_KEYS = [
  // secrets
  'password', 'passwordHash', 'password_hash', 'code', 'clientSecret', 'client_secret', 'token', 'access_token',
  'authorization', 'cookie', 'apiKey', 'api_key',
  // contact details and names
  'email', 'phone', 'firstName', 'lastName', 'middleName', 'fullName',
  'first_name', 'last_name', 'middle_name', 'first_name_en', 'last_name_en', 'middle_name_en', 'full_name',
  // date of birth, address, tax ids
  'dob', 'dateOfBirth', 'date_of_birth', 'address', 'street_line_1', 'street_line_2', 'street_line_1_en',
  'street_line_2_en', 'line1', 'line2', 'postalCode', 'postal_code',
  'tax_info', 'taxIds', 'taxId', 'tax_id', 'document_id', 'tax_ids_encrypted',
];

const DEPTHS = ['', '*.', '*.*.', '*.*.*.'];
const REDACT = DEPTHS.flatMap((prefix) => SENSITIVE_KEYS.map((key) => `${prefix}${key}`));

export function createLogger(level: string, name: string, destination?: DestinationStream): Logger {
  return pino({ name, level, redact: { paths: REDACT, censor: '[redacted]' } }, destination);
}

export type { Logger };
