/**
 * Reference data for an organization's `industryType`: the 21 sections of NACE Rev. 2, the EU's statistical
 * classification of economic activities (Regulation (EC) No 1893/2006). Global, not tenant-owned, like the other
 * reference tables. The section letter is the code tenants send; ids and codes never change (a later revision is
 * added beside, never renumbered).
 */
import type { Knex } from 'knex';

const NACE_SECTIONS: Array<[id: number, code: string, name: string]> = [
  [1, 'A', 'Agriculture, forestry and fishing'],
  [2, 'B', 'Mining and quarrying'],
  [3, 'C', 'Manufacturing'],
  [4, 'D', 'Electricity, gas, steam and air conditioning supply'],
  [5, 'E', 'Water supply; sewerage, waste management and remediation activities'],
  [6, 'F', 'Construction'],
  [7, 'G', 'Wholesale and retail trade; repair of motor vehicles and motorcycles'],
  [8, 'H', 'Transportation and storage'],
  [9, 'I', 'Accommodation and food service activities'],
  [10, 'J', 'Information and communication'],
  [11, 'K', 'Financial and insurance activities'],
  [12, 'L', 'Real estate activities'],
  [13, 'M', 'Professional, scientific and technical activities'],
  [14, 'N', 'Administrative and support service activities'],
  [15, 'O', 'Public administration and defence; compulsory social security'],
  [16, 'P', 'Education'],
  [17, 'Q', 'Human health and social work activities'],
  [18, 'R', 'Arts, entertainment and recreation'],
  [19, 'S', 'Other service activities'],
  [20, 'T', 'Activities of households as employers; undifferentiated goods- and services-producing activities of households for own use'],
  [21, 'U', 'Activities of extraterritorial organisations and bodies'],
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('industries', (t) => {
    t.integer('id').primary();
    t.text('code').notNullable().unique();
    t.text('name').notNullable();
  });
  await knex('industries').insert(NACE_SECTIONS.map(([id, code, name]) => ({ id, code, name })));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('industries');
}
