/**
 * The people and owners of an organization: the one owner of organization_parties and organization_ownerships.
 * Every change runs in one transaction that first locks the organization's customers row, so two racing changes
 * are checked one after the other (two adds cannot together pass 100 %), and a refused change writes nothing.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from '../../common/db';
import { describeProblem, effectiveOwnership, ownershipProblems, ultimateBeneficialOwners, type OwnershipProblem, type OwnershipStructure } from '../../common/ownership';
import { NotFoundError, ValidationError } from '../http/errors';
import { uboThresholdOf, type TenantSettingsService } from '../services/tenant-settings';
import { PeopleLockedError, peopleMayChange } from './people-gate';
import { FIELD_COLUMN, ROLE_COLUMN, liveHoldings, liveParties, loadStructure, partyView, rolesOf, type PartyField, type PartyRow } from './people-rows';
import type { PartyRole, PartyView, PersonInput, ShareholderInput, ShareholderView } from './people-schemas';

/** Bounds the work of one change (every change reads the whole structure) and the depth of ownership chains. */
export const MAX_PARTIES_PER_ORGANIZATION = 200;

export const newPartyId = (): string => `pty_${randomBytes(12).toString('hex')}`;

/** Names and e-mails match whatever their letter case; other fields exactly. */
const CASE_INSENSITIVE = new Set<PartyField>(['firstName', 'lastName', 'email', 'legalName', 'registrationNumber']);
const same = (field: PartyField, a: string, b: string) => (CASE_INSENSITIVE.has(field) ? a.toLowerCase() === b.toLowerCase() : a === b);
const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

export function createOrganizationPeopleService(db: Knex, tenantSettings: TenantSettingsService) {
  /** Runs `work` holding the organization's row lock, once the gate allows changes. */
  async function changing<T>(tenantId: string, organizationId: string, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return db.transaction(async (trx) => {
      const locked = await trx('customers').where({ tenant_id: tenantId, id: organizationId, type: 'ORGANIZATION' }).forUpdate().first('id');
      if (!locked) throw new NotFoundError('Organization not found');
      const verdict = await peopleMayChange(trx, tenantId, organizationId);
      if (!verdict.allowed) throw new PeopleLockedError(verdict.status);
      return work(trx);
    });
  }

  async function requireOrganization(tenantId: string, organizationId: string): Promise<void> {
    const found = await db('customers').where({ tenant_id: tenantId, id: organizationId, type: 'ORGANIZATION' }).first('id');
    if (!found) throw new NotFoundError('Organization not found');
  }

  /** The columns to write so `existing` also carries what the request says; a contradiction is a 400. */
  function mergedFields(existing: PartyRow, input: Partial<Record<PartyField, string>>): Partial<PartyRow> {
    const changes: Partial<Record<string, string>> = {};
    for (const [field, value] of Object.entries(input) as Array<[PartyField, string | undefined]>) {
      const column = FIELD_COLUMN[field];
      if (value === undefined || !column) continue;
      const stored = existing[column] as string | null;
      if (stored === null) changes[column] = value;
      else if (!same(field, stored, value)) {
        throw new ValidationError([{ field, message: `Differs from what ${existing.id} already has; remove that party and add it again to change it` }]);
      }
    }
    return changes as Partial<PartyRow>;
  }

  function columnsOf(input: Partial<Record<PartyField, string>>): Partial<PartyRow> {
    return Object.fromEntries(
      (Object.entries(input) as Array<[PartyField, string | undefined]>).filter(([field, value]) => value !== undefined && FIELD_COLUMN[field]).map(([field, value]) => [FIELD_COLUMN[field], value]),
    ) as Partial<PartyRow>;
  }

  async function insertParty(trx: Knex.Transaction, tenantId: string, organizationId: string, row: Partial<PartyRow> & Pick<PartyRow, 'id' | 'kind'>): Promise<PartyRow> {
    const count = await liveParties(trx, tenantId, organizationId).count<{ n: string }[]>({ n: '*' });
    if (Number(count[0].n) >= MAX_PARTIES_PER_ORGANIZATION) {
      throw new ValidationError([{ field: 'body', message: `An organization has at most ${MAX_PARTIES_PER_ORGANIZATION} people and companies` }]);
    }
    const [inserted] = await trx('organization_parties').insert({ ...row, tenant_id: tenantId, organization_id: organizationId }, '*');
    return inserted as PartyRow;
  }

  /** Gives the party identified by the input (a live one, else a new one) the role; returns its row. */
  async function withRole(trx: Knex.Transaction, tenantId: string, organizationId: string, existing: PartyRow | undefined, role: PartyRole, input: Partial<Record<PartyField, string>>, kind: PartyRow['kind'], id = newPartyId()): Promise<PartyRow> {
    if (!existing) return insertParty(trx, tenantId, organizationId, { id, kind, ...columnsOf(input), [ROLE_COLUMN[role]]: true });
    const changes = { ...mergedFields(existing, input), [ROLE_COLUMN[role]]: true };
    const [updated] = await liveParties(trx, tenantId, organizationId).where({ id: existing.id }).update(changes, '*');
    return updated as PartyRow;
  }

  const identifiedBy = (input: ShareholderInput | PersonInput) => (row: PartyRow) =>
    'kind' in input && input.kind === 'COMPANY'
      ? row.kind === 'COMPANY' && row.country_of_incorporation === input.countryOfIncorporation && row.registration_number!.toLowerCase() === input.registrationNumber.toLowerCase()
      : row.kind === 'PERSON' && row.email!.toLowerCase() === input.email.toLowerCase();

  async function shareholderViews(tenantId: string, rows: PartyRow[], structure: OwnershipStructure): Promise<{ views: ShareholderView[]; threshold: number }> {
    const threshold = uboThresholdOf(await tenantSettings.get(tenantId));
    const effective = effectiveOwnership(structure);
    const ubos = new Set(ultimateBeneficialOwners(structure, threshold).map((owner) => owner.partyId));
    const views = rows
      .filter((row) => row.is_shareholder)
      .map((row) => ({
        ...partyView(row),
        holdings: structure.holdings.filter((h) => h.ownerId === row.id).map((h) => ({ ownedPartyId: h.ownedId, ownershipPercent: h.percent })),
        effectiveOwnershipPercent: round4(effective.get(row.id) ?? 0),
        isUbo: ubos.has(row.id),
      }));
    return { views, threshold };
  }

  /** Ends a party's holdings and, for a company, the chain of holdings above it; owners left holding nothing stop being shareholders. */
  async function dropHoldings(trx: Knex.Transaction, tenantId: string, organizationId: string, party: PartyRow): Promise<void> {
    await liveHoldings(trx, tenantId, organizationId).where({ owner_party_id: party.id }).update({ removed_at: trx.fn.now() });
    if (party.kind !== 'COMPANY') return;
    const owners = await liveHoldings(trx, tenantId, organizationId).where({ owned_party_id: party.id }).pluck('owner_party_id');
    await liveHoldings(trx, tenantId, organizationId).where({ owned_party_id: party.id }).update({ removed_at: trx.fn.now() });
    for (const ownerId of owners) {
      const stillHolds = await liveHoldings(trx, tenantId, organizationId).where({ owner_party_id: ownerId }).first('id');
      if (stillHolds) continue;
      const owner = await liveParties(trx, tenantId, organizationId).where({ id: ownerId }).first<PartyRow | undefined>();
      if (owner) await dropRole(trx, tenantId, organizationId, owner, 'SHAREHOLDER');
    }
  }

  async function dropRole(trx: Knex.Transaction, tenantId: string, organizationId: string, party: PartyRow, role: PartyRole): Promise<void> {
    if (role === 'SHAREHOLDER') await dropHoldings(trx, tenantId, organizationId, party);
    const remaining = rolesOf(party).filter((r) => r !== role);
    await liveParties(trx, tenantId, organizationId)
      .where({ id: party.id })
      .update({ [ROLE_COLUMN[role]]: false, ...(remaining.length ? {} : { removed_at: trx.fn.now() }) });
  }

  /** Every shareholder (direct or up a chain), with its holdings, effective ownership and whether it is a UBO. */
  async function shareholders(tenantId: string, organizationId: string) {
    await requireOrganization(tenantId, organizationId);
    const { rows, structure } = await loadStructure(db, tenantId, organizationId);
    return shareholderViews(tenantId, rows, structure);
  }

  return {
    /** A director or an employee; a person already in the organization (same e-mail) takes the role too. */
    async addPerson(tenantId: string, organizationId: string, role: 'DIRECTOR' | 'EMPLOYEE', input: PersonInput): Promise<PartyView> {
      return changing(tenantId, organizationId, async (trx) => {
        const existing = await liveParties(trx, tenantId, organizationId)
          .where({ kind: 'PERSON' })
          .whereRaw('lower(email) = ?', [input.email.toLowerCase()])
          .first<PartyRow | undefined>();
        if (existing?.[ROLE_COLUMN[role]]) {
          throw new ValidationError([{ field: 'email', message: `${existing.id} already is ${role === 'DIRECTOR' ? 'a director' : 'an employee'} of this organization` }]);
        }
        return partyView(await withRole(trx, tenantId, organizationId, existing, role, input, 'PERSON'));
      });
    },

    /**
     * A holding of the organization, or with `ownerOf` of a company shareholder, by a new or known party (same
     * e-mail, or same registration number and country). The structure it would make is checked whole first.
     */
    async addShareholder(tenantId: string, organizationId: string, input: ShareholderInput): Promise<ShareholderView> {
      const { ownershipPercent, ownerOf, kind, ...fields } = input;
      const views = await changing(tenantId, organizationId, async (trx) => {
        const { rows, structure } = await loadStructure(trx, tenantId, organizationId);
        const ownedId = ownerOf ?? null;
        if (ownedId !== null && rows.find((row) => row.id === ownedId)?.kind !== 'COMPANY') {
          throw new ValidationError([{ field: 'ownerOf', message: `No company shareholder ${ownedId} in this organization` }]);
        }
        const existing = rows.find(identifiedBy(input));
        const ownerId = existing?.id ?? newPartyId();
        const candidate: OwnershipStructure = {
          parties: existing ? structure.parties : [...structure.parties, { id: ownerId, kind }],
          holdings: [...structure.holdings, { ownerId, ownedId, percent: ownershipPercent }],
        };
        const problems = ownershipProblems(candidate);
        if (problems.length) throw new ValidationError(problems.map((problem) => ({ field: fieldOf(problem, input), message: describeProblem(problem) })), 'Invalid ownership');
        const row = await withRole(trx, tenantId, organizationId, existing, 'SHAREHOLDER', fields, kind, ownerId);
        await trx('organization_ownerships').insert({
          tenant_id: tenantId,
          organization_id: organizationId,
          owner_party_id: ownerId,
          owned_party_id: ownedId,
          percentage: ownershipPercent,
        });
        return shareholderViews(tenantId, [row], candidate);
      });
      return views.views[0];
    },

    async list(tenantId: string, organizationId: string, role: PartyRole): Promise<PartyView[]> {
      await requireOrganization(tenantId, organizationId);
      const rows = await liveParties(db, tenantId, organizationId).where({ [ROLE_COLUMN[role]]: true }).orderBy([{ column: 'created_at' }, { column: 'id' }]).select<PartyRow[]>('*');
      return rows.map(partyView);
    },

    shareholders,

    /** The persons whose effective ownership reaches the tenant's threshold, largest share first. */
    async ubos(tenantId: string, organizationId: string) {
      const { views, threshold } = await shareholders(tenantId, organizationId);
      const ubos = views.filter((view) => view.isUbo).sort((a, b) => b.effectiveOwnershipPercent - a.effectiveOwnershipPercent);
      return { views: ubos, threshold };
    },

    /**
     * The persons to verify one by one: every director and every UBO, one entry per person whatever the roles it
     * has. Ids and reasons only, so it can travel to a workflow without personal data.
     */
    async verificationSubjects(tenantId: string, organizationId: string): Promise<Array<{ partyId: string; reasons: Array<'DIRECTOR' | 'UBO'> }>> {
      await requireOrganization(tenantId, organizationId);
      const { rows, structure } = await loadStructure(db, tenantId, organizationId);
      const ubos = new Set(ultimateBeneficialOwners(structure, uboThresholdOf(await tenantSettings.get(tenantId))).map((owner) => owner.partyId));
      return rows
        .filter((row) => row.is_director || ubos.has(row.id))
        .map((row) => ({ partyId: row.id, reasons: [...(row.is_director ? ['DIRECTOR' as const] : []), ...(ubos.has(row.id) ? ['UBO' as const] : [])] }));
    },

    /** Takes the role away; a party left with no role is removed (its row stays, with removed_at). */
    async removeRole(tenantId: string, organizationId: string, partyId: string, role: PartyRole): Promise<void> {
      await changing(tenantId, organizationId, async (trx) => {
        const party = await liveParties(trx, tenantId, organizationId).where({ id: partyId, [ROLE_COLUMN[role]]: true }).first<PartyRow | undefined>();
        if (!party) throw new NotFoundError(`No ${role.toLowerCase()} ${partyId} in this organization`);
        await dropRole(trx, tenantId, organizationId, party, role);
      });
    },
  };
}

/** The request field a problem is about, so the 400 points at what to change. */
function fieldOf(problem: OwnershipProblem, input: ShareholderInput): string {
  if (problem.kind === 'OVER_100_PERCENT' || problem.kind === 'PERCENT_OUT_OF_RANGE') return 'ownershipPercent';
  if (problem.kind === 'DUPLICATE_HOLDING' && problem.ownedId === null) return input.kind === 'PERSON' ? 'email' : 'registrationNumber';
  return 'ownerOf';
}

export type OrganizationPeopleService = ReturnType<typeof createOrganizationPeopleService>;
