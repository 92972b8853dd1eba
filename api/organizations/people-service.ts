/**
 * The people and owners of an organization: the one owner of organization_parties and organization_ownerships.
 * Every change runs in one transaction that first locks the organization's customers row, so two racing changes
 * are checked one after the other (two adds cannot together pass 100 %), and a refused change writes nothing.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from '../../common/db';
import { describeProblem, ownershipProblems, ultimateBeneficialOwners, type OwnershipProblem, type OwnershipStructure } from '../../common/ownership';
import { NotFoundError, ValidationError } from '../http/errors';
import { uboThresholdOf, type TenantSettingsService } from '../tenancy/tenant-settings';
import { PeopleLockedError, peopleMayChange } from './people-gate';
import { mergedFields, columnsOf, shareholderViews, type FieldValues } from './people-fields';
import { ROLE_COLUMN, liveHoldings, liveParties, loadStructure, partyView, rolesOf, type PartyRow } from './people-rows';
import type { PartyRole, PartyView, PersonInput, ShareholderInput, ShareholderView } from './people-schemas';

/** Bounds the work of one change (every change reads the whole structure) and the depth of ownership chains. */
export const MAX_PARTIES_PER_ORGANIZATION = 200;

export const newPartyId = (): string => `pty_${randomBytes(12).toString('hex')}`;

export type { VerificationReason } from '../../common/organization-contract';
import type { VerificationReason } from '../../common/organization-contract';
export interface VerificationSubject {
  partyId: string;
  reasons: VerificationReason[];
}

/** One organization of one tenant, inside the transaction that holds its lock. */
interface Scope {
  trx: Knex.Transaction;
  tenantId: string;
  organizationId: string;
}

const parties = (s: Scope) => liveParties(s.trx, s.tenantId, s.organizationId);
const holdings = (s: Scope) => liveHoldings(s.trx, s.tenantId, s.organizationId);

export function createOrganizationPeopleService(db: Knex, tenantSettings: Pick<TenantSettingsService, 'get'>) {
  /** Runs `work` holding the organization's row lock, once the gate allows changes. */
  async function changing<T>(tenantId: string, organizationId: string, work: (scope: Scope) => Promise<T>): Promise<T> {
    return db.transaction(async (trx) => {
      const locked = await trx('customers').where({ tenant_id: tenantId, id: organizationId, type: 'ORGANIZATION' }).forUpdate().first('id');
      if (!locked) throw new NotFoundError('Organization not found');
      const verdict = await peopleMayChange(trx, tenantId, organizationId);
      if (!verdict.allowed) throw new PeopleLockedError(verdict);
      return work({ trx, tenantId, organizationId });
    });
  }

  async function requireOrganization(tenantId: string, organizationId: string): Promise<void> {
    const found = await db('customers').where({ tenant_id: tenantId, id: organizationId, type: 'ORGANIZATION' }).first('id');
    if (!found) throw new NotFoundError('Organization not found');
  }

  const thresholdOf = async (tenantId: string) => uboThresholdOf(await tenantSettings.get(tenantId));

  /** Gives the role to the known party (checking the request agrees with it) or to a new party; returns its row. */
  async function giveRole(s: Scope, role: PartyRole, known: PartyRow | undefined, fields: FieldValues, kind: PartyRow['kind'], id = newPartyId()): Promise<PartyRow> {
    if (known) {
      const [updated] = await parties(s).where({ id: known.id }).update({ ...mergedFields(known, fields), [ROLE_COLUMN[role]]: true }, '*');
      return updated as PartyRow;
    }
    const [{ n }] = await parties(s).count<Array<{ n: string }>>({ n: '*' });
    if (Number(n) >= MAX_PARTIES_PER_ORGANIZATION) {
      throw new ValidationError([{ field: 'body', message: `An organization has at most ${MAX_PARTIES_PER_ORGANIZATION} people and companies` }]);
    }
    const row = { id, kind, ...columnsOf(fields), [ROLE_COLUMN[role]]: true, tenant_id: s.tenantId, organization_id: s.organizationId };
    const [inserted] = await s.trx('organization_parties').insert(row, '*');
    return inserted as PartyRow;
  }

  /** Takes a role away; a party left with no role is removed (its row stays, with removed_at). */
  async function dropRole(s: Scope, party: PartyRow, role: PartyRole): Promise<void> {
    if (role === 'SHAREHOLDER') await endHoldings(s, party);
    const remaining = rolesOf(party).filter((r) => r !== role);
    await parties(s)
      .where({ id: party.id })
      .update({ [ROLE_COLUMN[role]]: false, ...(remaining.length ? {} : { removed_at: s.trx.fn.now() }) });
  }

  /** Ends a party's holdings and, for a company, the holdings above it: owners left holding nothing stop being shareholders. */
  async function endHoldings(s: Scope, party: PartyRow): Promise<void> {
    await holdings(s).where({ owner_party_id: party.id }).update({ removed_at: s.trx.fn.now() });
    if (party.kind !== 'COMPANY') return;
    const ownerIds: string[] = await holdings(s).where({ owned_party_id: party.id }).pluck('owner_party_id');
    await holdings(s).where({ owned_party_id: party.id }).update({ removed_at: s.trx.fn.now() });
    for (const ownerId of ownerIds) {
      if (await holdings(s).where({ owner_party_id: ownerId }).first('id')) continue;
      const owner = await parties(s).where({ id: ownerId }).first<PartyRow | undefined>();
      if (owner) await dropRole(s, owner, 'SHAREHOLDER');
    }
  }

  /** Every shareholder (direct or up a chain), with its holdings, effective ownership and whether it is a UBO. */
  async function shareholders(tenantId: string, organizationId: string) {
    await requireOrganization(tenantId, organizationId);
    const threshold = await thresholdOf(tenantId);
    const { rows, structure } = await loadStructure(db, tenantId, organizationId);
    return { views: shareholderViews(rows, structure, threshold), threshold };
  }

  return {
    /** A director or an employee; a person already in the organization (same e-mail) takes the role too. */
    async addPerson(tenantId: string, organizationId: string, role: 'DIRECTOR' | 'EMPLOYEE', input: PersonInput): Promise<PartyView> {
      return changing(tenantId, organizationId, async (s) => {
        const known = await parties(s).where({ kind: 'PERSON' }).whereRaw('lower(email) = ?', [input.email.toLowerCase()]).first<PartyRow | undefined>();
        if (known?.[ROLE_COLUMN[role]]) {
          throw new ValidationError([{ field: 'email', message: `${known.id} is already ${role === 'DIRECTOR' ? 'a director' : 'an employee'} of this organization` }]);
        }
        return partyView(await giveRole(s, role, known, input, 'PERSON'));
      });
    },

    /**
     * A holding of the organization, or with `ownerOf` of a company shareholder, by a new or known party (same
     * e-mail, or same registration number and country). The structure it would make is checked whole first.
     */
    async addShareholder(tenantId: string, organizationId: string, input: ShareholderInput): Promise<ShareholderView> {
      const { ownershipPercent, ownerOf, kind, ...fields } = input;
      const ownedId = ownerOf ?? null;
      const threshold = await thresholdOf(tenantId);
      return changing(tenantId, organizationId, async (s) => {
        const { rows, structure } = await loadStructure(s.trx, tenantId, organizationId);
        if (ownedId !== null && rows.find((row) => row.id === ownedId)?.kind !== 'COMPANY') {
          throw new ValidationError([{ field: 'ownerOf', message: `No company shareholder ${ownedId} in this organization` }]);
        }
        const known = rows.find(sameParty(input));
        const ownerId = known?.id ?? newPartyId();
        const after: OwnershipStructure = {
          parties: known ? structure.parties : [...structure.parties, { id: ownerId, kind }],
          holdings: [...structure.holdings, { ownerId, ownedId, percent: ownershipPercent }],
        };
        const problems = ownershipProblems(after);
        if (problems.length) {
          throw new ValidationError(problems.map((problem) => ({ field: fieldOf(problem, input), message: describeProblem(problem) })), 'Invalid ownership');
        }
        const row = await giveRole(s, 'SHAREHOLDER', known, fields, kind, ownerId);
        await s.trx('organization_ownerships').insert({ tenant_id: tenantId, organization_id: organizationId, owner_party_id: ownerId, owned_party_id: ownedId, percentage: ownershipPercent });
        return shareholderViews([row], after, threshold)[0];
      });
    },

    async list(tenantId: string, organizationId: string, role: PartyRole): Promise<PartyView[]> {
      await requireOrganization(tenantId, organizationId);
      const rows = await liveParties(db, tenantId, organizationId).where({ [ROLE_COLUMN[role]]: true }).orderBy([{ column: 'created_at' }, { column: 'id' }]).select<PartyRow[]>('*');
      return rows.map(partyView);
    },

    shareholders,

    /** Every live party of the organization whatever its roles, oldest first (the case page's people). */
    async parties(tenantId: string, organizationId: string): Promise<PartyView[]> {
      await requireOrganization(tenantId, organizationId);
      const rows = await liveParties(db, tenantId, organizationId).orderBy([{ column: 'created_at' }, { column: 'id' }]).select<PartyRow[]>('*');
      return rows.map(partyView);
    },

    /** The persons whose effective ownership reaches the tenant's threshold, largest share first. */
    async ubos(tenantId: string, organizationId: string) {
      const { views, threshold } = await shareholders(tenantId, organizationId);
      return { views: views.filter((view) => view.isUbo).sort((a, b) => b.effectiveOwnershipPercent - a.effectiveOwnershipPercent), threshold };
    },

    /**
     * Records the person who registers the organization, in the registration's own transaction (the organization
     * row is new, so nothing else can hold it). Returns the party id; the same e-mail later added as a director
     * or shareholder is the same party.
     */
    async recordRepresentative(trx: Knex.Transaction, tenantId: string, organizationId: string, person: Pick<PersonInput, 'firstName' | 'lastName' | 'email'>): Promise<string> {
      const s = { trx, tenantId, organizationId };
      const known = await parties(s).where({ kind: 'PERSON' }).whereRaw('lower(email) = ?', [person.email.toLowerCase()]).first<PartyRow | undefined>();
      return (await giveRole(s, 'REPRESENTATIVE', known, person, 'PERSON')).id;
    },

    /**
     * The persons to verify one by one: the representative, every director and every UBO, one entry per person
     * whatever its roles. Ids and reasons only, so it can travel to a workflow without personal data.
     */
    async verificationSubjects(tenantId: string, organizationId: string, trx: Knex = db): Promise<VerificationSubject[]> {
      await requireOrganization(tenantId, organizationId);
      const threshold = await thresholdOf(tenantId);
      const { rows, structure } = await loadStructure(trx, tenantId, organizationId);
      const ubos = new Set(ultimateBeneficialOwners(structure, threshold).map((owner) => owner.partyId));
      const reasonsOf = (row: PartyRow): VerificationReason[] => [
        ...(row.is_representative ? ['REPRESENTATIVE' as const] : []),
        ...(row.is_director ? ['DIRECTOR' as const] : []),
        ...(ubos.has(row.id) ? ['UBO' as const] : []),
      ];
      return rows.map((row) => ({ partyId: row.id, reasons: reasonsOf(row) })).filter((subject) => subject.reasons.length > 0);
    },

    /**
     * What the organization's people still lack before KYB may start: a director, and a valid ownership structure
     * (at least one shareholder of the organization itself, nothing over 100 %). Read with `trx` inside a
     * transaction holding the organization's lock, the answer stays true until it commits.
     */
    async dueBeforeKyb(tenantId: string, organizationId: string, trx: Knex = db): Promise<string[]> {
      const { rows, structure } = await loadStructure(trx, tenantId, organizationId);
      const due: string[] = [];
      if (!rows.some((row) => row.is_director)) due.push('DIRECTORS');
      const ownsTheOrganization = structure.holdings.some((holding) => holding.ownedId === null);
      if (!ownsTheOrganization || ownershipProblems(structure).length > 0) due.push('OWNERSHIP');
      return due;
    },

    /** A person's identity as the organization's records hold it (the identity check's PartyReader). */
    async partyIdentity(tenantId: string, organizationId: string, partyId: string) {
      const row = await liveParties(db, tenantId, organizationId).where({ id: partyId, kind: 'PERSON' }).first<PartyRow | undefined>();
      if (!row) return undefined;
      return {
        firstName: row.first_name ?? undefined,
        lastName: row.last_name ?? undefined,
        email: row.email ?? undefined,
        dateOfBirth: row.date_of_birth ?? undefined,
        nationality: row.nationality ?? undefined,
        countryOfResidence: row.country_of_residence ?? undefined,
      };
    },

    async removeRole(tenantId: string, organizationId: string, partyId: string, role: PartyRole): Promise<void> {
      await changing(tenantId, organizationId, async (s) => {
        const party = await parties(s).where({ id: partyId, [ROLE_COLUMN[role]]: true }).first<PartyRow | undefined>();
        if (!party) throw new NotFoundError(`No ${role.toLowerCase()} ${partyId} in this organization`);
        await dropRole(s, party, role);
      });
    },
  };
}

/** A live party is the same person by e-mail (any case), the same company by registration number and country. */
const sameParty = (input: ShareholderInput) => (row: PartyRow) =>
  input.kind === 'COMPANY'
    ? row.kind === 'COMPANY' && row.country_of_incorporation === input.countryOfIncorporation && row.registration_number!.toLowerCase() === input.registrationNumber.toLowerCase()
    : row.kind === 'PERSON' && row.email!.toLowerCase() === input.email.toLowerCase();

/** The request field a problem is about, so the 400 points at what to change. */
function fieldOf(problem: OwnershipProblem, input: ShareholderInput): string {
  if (problem.kind === 'OVER_100_PERCENT' || problem.kind === 'PERCENT_OUT_OF_RANGE') return 'ownershipPercent';
  if (problem.kind === 'DUPLICATE_HOLDING' && problem.ownedId === null) return input.kind === 'PERSON' ? 'email' : 'registrationNumber';
  return 'ownerOf';
}

export type OrganizationPeopleService = ReturnType<typeof createOrganizationPeopleService>;
