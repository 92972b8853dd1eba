/**
 * The two registration routes the baseline answers, each validated with the project's own zod schema for it
 * (imported, so a change to the project's rules changes the baseline's too) through the project's parser (the same
 * 400 VALIDATION_ERROR bodies). Both then do the same thing (main.ts): the update-with-start whose local activity
 * inserts the person's name and e-mail. The v2 route's other checks (reference ids exist, RELIANCE enabled, the
 * tenant's countries of operation) read the database or the tenant and are left out, like everything else the
 * baseline leaves out.
 */
import { individualRegistrationBody } from '../../api/individuals/registration-routes';
import { individualV2Request } from '../../api/individuals/v2-schemas';
import { parse } from '../../api/http/route';
import { REGISTRATION_ROUTES, type RegistrationRoute } from '../bench-routes';
import type { BaselineReceipt } from './contract';

/** What the baseline stores of a registration, whichever route brought it. */
export interface Person {
  firstName: string;
  lastName: string;
  email: string;
}

export interface BaselineRoute {
  path: string;
  /** Parses the body with the project's schema (throws its ValidationError) and picks what is stored. */
  person(body: unknown): Person;
  /** The 201 body, in the route's own shape. */
  answer(customerId: string, person: Person, receipt: BaselineReceipt): unknown;
}

export const BASELINE_ROUTES: Record<RegistrationRoute, BaselineRoute> = {
  'v2.1': {
    path: REGISTRATION_ROUTES['v2.1'].path,
    person(body) {
      const { firstName, lastName, email } = parse(individualRegistrationBody, body)!;
      return { firstName, lastName, email };
    },
    answer: (customerId, person, receipt) => ({ customerId, ...person, status: 'PENDING_EMAIL_VERIFICATION', createdAt: receipt.createdAt }),
  },
  v2: {
    path: REGISTRATION_ROUTES.v2.path,
    person(body) {
      const { basic_info: info } = parse(individualV2Request, body)!;
      // The Latin twins when given, as the project stores them.
      return { firstName: info.first_name_en ?? info.first_name, lastName: info.last_name_en ?? info.last_name, email: info.email };
    },
    answer: (customerId) => ({ data: { customer_id: customerId, tos_policies_url: `https://onboarding.local/tos?customer_id=${customerId}` } }),
  },
};
