import * as referenceDataMigration from '../../migrations/20261122001000_create_reference_data';
import { createReferenceDataService, type ReferenceDataService } from '../../api/reference/service';
import { isUniqueViolation } from '../../common/db';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
let referenceData: ReferenceDataService;

// The lists and the id check are read from the database alone: no workflow is involved.
beforeAll(async () => {
  h = await startHarness('reference', { withWorker: false });
  referenceData = createReferenceDataService(h.db);
});
afterAll(() => h?.close());

/** The ids the source document's example sends; tenants keep such ids, so they must never change meaning. */
const EXAMPLE = { occupationId: 42, purposeId: 3, sourceOfFundIds: [1, 5] };

describe('reference data migration', () => {
  it('seeds each list with stable ids, including those of the documented example', async () => {
    const occupations = await referenceData.list('occupations');
    const purposes = await referenceData.list('account-purposes');
    const sources = await referenceData.list('source-of-funds');

    expect(occupations.length).toBeGreaterThanOrEqual(40);
    expect(purposes.length).toBeGreaterThanOrEqual(8);
    expect(sources.length).toBeGreaterThanOrEqual(8);
    expect(occupations.find((entry) => entry.id === 42)).toEqual({ id: 42, code: 'SOFTWARE_DEVELOPER', name: 'Software developer' });
    expect(purposes.find((entry) => entry.id === 3)).toEqual({ id: 3, code: 'FAMILY_REMITTANCES', name: 'Remittances to family and friends' });
    expect(sources.filter((entry) => [1, 5].includes(entry.id)).map((entry) => entry.code)).toEqual(['SALARY', 'SAVINGS']);
  });

  it('lists entries by id', async () => {
    for (const kind of ['occupations', 'account-purposes', 'source-of-funds'] as const) {
      const ids = (await referenceData.list(kind)).map((entry) => entry.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
  });

  it('is global data: no tenant column, and codes are unique in the database', async () => {
    for (const table of ['occupations', 'account_purposes', 'source_of_funds']) {
      expect(Object.keys(await h.db(table).columnInfo()).sort()).toEqual(['code', 'id', 'name']);
    }
    const duplicate = await h.db('occupations').insert({ id: 9999, code: 'SOFTWARE_DEVELOPER', name: 'Copy' }).catch((error) => error);
    expect(isUniqueViolation(duplicate)).toBe(true);
  });

  it('can be rolled back and applied again', async () => {
    await h.db.transaction(async (trx) => {
      await referenceDataMigration.down(trx);
      for (const table of ['occupations', 'account_purposes', 'source_of_funds']) expect(await trx.schema.hasTable(table)).toBe(false);
      await referenceDataMigration.up(trx);
      expect(await trx('occupations').where({ id: 42 }).first()).toMatchObject({ code: 'SOFTWARE_DEVELOPER' });
    });
  });
});

describe('missingIds', () => {
  it('finds nothing missing in the documented example', async () => {
    expect(await referenceData.missingIds(EXAMPLE)).toEqual([]);
  });

  it('names each unknown id by its field path in the request body', async () => {
    const issues = await referenceData.missingIds({ occupationId: 4242, purposeId: 999, sourceOfFundIds: [1, 77, 5, 78] });
    expect(issues).toEqual([
      { field: 'financial_profile.occupation_id', message: 'Unknown occupation id 4242; see GET /v2/reference/occupations' },
      { field: 'financial_profile.purpose_id', message: 'Unknown account purpose id 999; see GET /v2/reference/account-purposes' },
      { field: 'financial_profile.source_of_fund_ids.1', message: 'Unknown source of funds id 77; see GET /v2/reference/source-of-funds' },
      { field: 'financial_profile.source_of_fund_ids.3', message: 'Unknown source of funds id 78; see GET /v2/reference/source-of-funds' },
    ]);
  });

  it('asks the three tables in one query, however many sources of funds are listed', async () => {
    const queries: string[] = [];
    const record = (query: { sql: string }) => queries.push(query.sql);
    h.db.on('query', record);
    try {
      await referenceData.missingIds({ occupationId: 42, purposeId: 3, sourceOfFundIds: [1, 2, 3, 4, 5, 6, 7, 8, 1] });
    } finally {
      h.db.off('query', record);
    }
    expect(queries).toHaveLength(1);
    expect([...queries[0].matchAll(/from "(\w+)"/g)].map((match) => match[1]).sort()).toEqual(['account_purposes', 'occupations', 'source_of_funds']);
  });
});
