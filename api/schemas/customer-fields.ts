/** Field rules shared by every registration route, so each API version validates a name or an e-mail alike. */
import countries from 'i18n-iso-countries';
import { isValidPhoneNumber, parsePhoneNumberWithError } from 'libphonenumber-js';
import { z } from '../http/openapi';

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export const personName = z
  .string()
  .trim()
  .min(1, 'Must not be empty')
  .max(100, 'Must be at most 100 characters')
  .refine((value) => !CONTROL_CHARS.test(value), 'Must not contain control characters');

export const emailAddress = z.string().trim().max(254, 'Must be at most 254 characters').pipe(z.email('Must be a valid e-mail address'));

export const PASSWORD_POLICY =
  '10 to 128 characters, with at least one lowercase letter, one uppercase letter and one digit';

const meetsPolicy = (value: string) =>
  value.length >= 10 && value.length <= 128 && /[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value);

export const password = z
  .string()
  .refine(meetsPolicy, `Password must be ${PASSWORD_POLICY}`)
  .openapi({ description: `Password policy: ${PASSWORD_POLICY}.`, format: 'password' });

/** International format (E.164), normalised: "+44 20 7946 0958" becomes "+442079460958". */
export const phoneNumber = z
  .string()
  .trim()
  .refine((value) => value.startsWith('+') && isValidPhoneNumber(value), 'Must be a valid phone number in international format, e.g. +14155552671')
  .transform((value) => parsePhoneNumberWithError(value).number)
  .openapi({ example: '+14155552671' });


/** Seed 004's rule: addresses are sent lowercase, so what the tenant stores is what the customer is written to. */
export const lowercaseEmail = z
  .string()
  .refine((value) => value === value.toLowerCase(), 'Email address must be all lowercase')
  .pipe(emailAddress)
  .openapi({ example: 'maria.garcia@example.com' });

export const countryCode = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'Must be an ISO 3166-1 alpha-3 country code, e.g. USA', abort: true })
  .refine((code) => countries.alpha3ToAlpha2(code) !== undefined, 'Unknown ISO 3166-1 alpha-3 country code')
  .openapi({ example: 'USA' });
