/**
 * Reference data for the v2 individual financial profile: occupations, account purposes and sources of funds.
 *
 * These tables are global, not tenant-owned: every tenant picks from the same lists, so they carry no
 * `tenant_id`. Their ids are a public contract (tenants store `occupation_id`, `purpose_id` and
 * `source_of_fund_ids` on their side), hence explicit ids that never change: an entry is added with a new id in a
 * later migration and never renumbered or reused.
 */
import type { Knex } from 'knex';

type Entry = [id: number, code: string, name: string];

const OCCUPATIONS: Entry[] = [
  [1, 'ACCOUNTANT', 'Accountant or auditor'],
  [2, 'ADMINISTRATIVE_ASSISTANT', 'Administrative assistant or clerk'],
  [3, 'AGRICULTURAL_WORKER', 'Farmer or agricultural worker'],
  [4, 'ARCHITECT', 'Architect'],
  [5, 'ARTIST', 'Artist or designer'],
  [6, 'BANKER', 'Banker or financial services professional'],
  [7, 'CIVIL_SERVANT', 'Civil servant'],
  [8, 'RELIGIOUS_WORKER', 'Religious worker'],
  [9, 'CONSTRUCTION_WORKER', 'Construction worker'],
  [10, 'CONSULTANT', 'Consultant'],
  [11, 'CUSTOMER_SERVICE', 'Customer service representative'],
  [12, 'DENTIST', 'Dentist'],
  [13, 'PHYSICIAN', 'Physician or surgeon'],
  [14, 'DRIVER', 'Driver (taxi, delivery, truck)'],
  [15, 'ECONOMIST', 'Economist'],
  [16, 'ELECTRICIAN', 'Electrician'],
  [17, 'ENGINEER', 'Engineer'],
  [18, 'BUSINESS_OWNER', 'Business owner or entrepreneur'],
  [19, 'FINANCIAL_ADVISOR', 'Financial advisor'],
  [20, 'FIREFIGHTER', 'Firefighter'],
  [21, 'HOSPITALITY_WORKER', 'Hotel or restaurant worker'],
  [22, 'DOMESTIC_WORKER', 'Domestic worker'],
  [23, 'HUMAN_RESOURCES', 'Human resources professional'],
  [24, 'IT_TECHNICIAN', 'IT support technician'],
  [25, 'JOURNALIST', 'Journalist'],
  [26, 'JUDGE', 'Judge or magistrate'],
  [27, 'LAWYER', 'Lawyer'],
  [28, 'LIBRARIAN', 'Librarian'],
  [29, 'MANAGER', 'Manager or executive'],
  [30, 'SALES_AND_MARKETING', 'Sales or marketing professional'],
  [31, 'MECHANIC', 'Mechanic'],
  [32, 'ARMED_FORCES', 'Member of the armed forces'],
  [33, 'MUSICIAN', 'Musician or performer'],
  [34, 'NURSE', 'Nurse'],
  [35, 'PHARMACIST', 'Pharmacist'],
  [36, 'PILOT', 'Pilot'],
  [37, 'PLUMBER', 'Plumber'],
  [38, 'POLICE_OFFICER', 'Police officer'],
  [39, 'ELECTED_OFFICIAL', 'Elected official or politician'],
  [40, 'REAL_ESTATE_AGENT', 'Real estate agent'],
  [41, 'RETAIL_WORKER', 'Retail or shop worker'],
  [42, 'SOFTWARE_DEVELOPER', 'Software developer'],
  [43, 'SCIENTIST', 'Scientist or researcher'],
  [44, 'SOCIAL_WORKER', 'Social worker'],
  [45, 'TEACHER', 'Teacher or lecturer'],
  [46, 'TRADER', 'Securities or commodities trader'],
  [47, 'VETERINARIAN', 'Veterinarian'],
  [48, 'SECURITY_GUARD', 'Security guard'],
  [49, 'STUDENT', 'Student'],
  [50, 'RETIRED', 'Retired'],
  [51, 'HOMEMAKER', 'Homemaker'],
  [52, 'UNEMPLOYED', 'Unemployed'],
  [53, 'OTHER', 'Other'],
];

const ACCOUNT_PURPOSES: Entry[] = [
  [1, 'EVERYDAY_SPENDING', 'Everyday spending and bill payments'],
  [2, 'SAVINGS', 'Savings'],
  [3, 'FAMILY_REMITTANCES', 'Remittances to family and friends'],
  [4, 'SALARY_OR_PENSION', 'Receiving salary or pension'],
  [5, 'INVESTMENTS', 'Investments'],
  [6, 'ONLINE_PURCHASES', 'Online purchases'],
  [7, 'TRAVEL', 'Travel expenses'],
  [8, 'EDUCATION', 'Tuition and education expenses'],
  [9, 'FREELANCE_PAYMENTS', 'Receiving freelance or self-employment payments'],
  [10, 'LOAN_REPAYMENTS', 'Loan or mortgage repayments'],
  [11, 'PROPERTY', 'Rent or property purchase'],
];

const SOURCES_OF_FUNDS: Entry[] = [
  [1, 'SALARY', 'Salary or wages'],
  [2, 'BUSINESS_INCOME', 'Business income'],
  [3, 'SELF_EMPLOYMENT', 'Self-employment or freelance income'],
  [4, 'PENSION', 'Pension or retirement income'],
  [5, 'SAVINGS', 'Personal savings'],
  [6, 'INVESTMENT_INCOME', 'Investment income (dividends, interest)'],
  [7, 'INHERITANCE', 'Inheritance'],
  [8, 'GIFT', 'Gift from family or friends'],
  [9, 'SALE_OF_ASSETS', 'Sale of property or other assets'],
  [10, 'LOAN', 'Loan or credit facility'],
  [11, 'GOVERNMENT_BENEFITS', 'Government benefits or allowances'],
  [12, 'RENTAL_INCOME', 'Rental income'],
];

const TABLES: Array<[table: string, entries: Entry[]]> = [
  ['occupations', OCCUPATIONS],
  ['account_purposes', ACCOUNT_PURPOSES],
  ['source_of_funds', SOURCES_OF_FUNDS],
];

export async function up(knex: Knex): Promise<void> {
  for (const [table, entries] of TABLES) {
    await knex.schema.createTable(table, (t) => {
      // No sequence: ids are assigned here, by hand, so they are the same in every database.
      t.integer('id').primary();
      t.text('code').notNullable().unique();
      t.text('name').notNullable();
    });
    await knex(table).insert(entries.map(([id, code, name]) => ({ id, code, name })));
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [table] of [...TABLES].reverse()) await knex.schema.dropTable(table);
}
