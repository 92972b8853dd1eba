/**
 * Field rules shared by every route that takes a person's or a company's details, so each API version validates a
 * name, an e-mail, a country or a date of birth alike.
 */
import countries from 'i18n-iso-countries';
import { iso31662 } from 'iso-3166';
import { isValidPhoneNumber, parsePhoneNumberWithError } from 'libphonenumber-js';
import { z } from '../http/openapi';

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export const boundedText = (max: number) =>
  z.string().trim().min(1, 'Must not be empty').max(max, `Must be at most ${max} characters`);

/** Text in any script (a name, a street) without control characters. */
export const freeText = (max: number) => boundedText(max).refine((value) => !CONTROL_CHARS.test(value), 'Must not contain control characters');

export const personName = freeText(100);

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

const SUBDIVISION_CODES = new Set(iso31662.map((subdivision) => subdivision.code));

export const subdivisionCode = z
  .string()
  .regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, { error: 'Must be an ISO 3166-2 subdivision code, e.g. US-CA', abort: true })
  .refine((code) => SUBDIVISION_CODES.has(code), 'Unknown ISO 3166-2 subdivision code')
  .openapi({ example: 'US-CA' });

export const ADULT_AGE = 18;

/** Whole years between a YYYY-MM-DD birth date and `today` (UTC: the API knows no customer time zone). */
export function ageOn(dob: string, today: Date): number {
  const [year, month, day] = dob.split('-').map(Number);
  const beforeBirthday =
    today.getUTCMonth() + 1 < month || (today.getUTCMonth() + 1 === month && today.getUTCDate() < day);
  return today.getUTCFullYear() - year - (beforeBirthday ? 1 : 0);
}

/** A real YYYY-MM-DD date of someone at least ADULT_AGE years old. */
export const adultDateOfBirth = z.iso
  .date({ error: 'Must be a real date in the form YYYY-MM-DD', abort: true })
  .refine((dob) => ageOn(dob, new Date()) >= ADULT_AGE, `The customer must be at least ${ADULT_AGE} years old`)
  .openapi({ example: '1990-04-15' });
