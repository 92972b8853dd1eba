/**
 * Reads and staff actions on organizations. Owns the SQL on organization_profiles; the organization's running
 * onboarding is reached through the shared OnboardingService (same workflow id scheme as individuals).
 */
import type { Knex } from '../../common/db';
import { lifecycleOf, NO_REQUIREMENTS, type Requirements } from '../../common/lifecycle';
import { decideReviewUpdate, startKybUpdate, type ReviewDecision } from '../../common/organization-contract';
import type { KybStatus, OrganizationStatus } from '../../common/statuses';
import { NotFoundError } from '../http/errors';
import type { OnboardingService } from '../onboarding/service';
import type { OnboardingRecords } from '../onboarding/records';
import { changeStatusByStaff } from '../customers/staff-status';
import type { WebhookWake } from '../webhooks/outbox';
import type { OrganizationOnboardingView } from './onboarding-view';

const notFound = () => new NotFoundError('Organization not found');

interface OrganizationRow {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  phone: string | null;
  status: OrganizationStatus;
  created_at: Date;
  updated_at: Date;
  business_name: string;
  business_type: string;
  registration_number: string;
  country_of_incorporation: string;
  date_of_incorporation: string;
  industry_code: string;
  contact_email: string;
  contact_phone: string;
  kyb_status: KybStatus;
}

export interface OrganizationServiceDeps {
  db: Knex;
  onboarding: OnboardingService;
  records: OnboardingRecords;
  /** Wakes webhook deliveries after a staff status change commits. */
  webhookWake: WebhookWake;
  view: Pick<OrganizationOnboardingView, 'requirements'>;
}

export function createOrganizationService({ db, onboarding, records, view, webhookWake }: OrganizationServiceDeps) {
  async function row(tenantId: string, organizationId: string): Promise<OrganizationRow> {
    const found = await db('customers as c')
      .join('organization_profiles as p', function joinProfile() {
        this.on('p.tenant_id', 'c.tenant_id').andOn('p.customer_id', 'c.id');
      })
      .where({ 'c.tenant_id': tenantId, 'c.id': organizationId, 'c.type': 'ORGANIZATION' })
      .first<OrganizationRow | undefined>(
        'c.id', 'c.email', 'c.first_name', 'c.last_name', 'c.phone', 'c.status', 'c.created_at', 'c.updated_at',
        'p.business_name', 'p.business_type', 'p.registration_number', 'p.country_of_incorporation',
        db.raw("to_char(p.date_of_incorporation, 'YYYY-MM-DD') as date_of_incorporation"),
        'p.industry_code', 'p.contact_email', 'p.contact_phone', 'p.kyb_status',
      );
    if (!found) throw notFound();
    return found;
  }

  /** What is due, from the running workflow (with the tables' items before KYB); once it has ended nothing is. */
  async function requirementsOf(tenantId: string, organizationId: string, kybStatus: KybStatus): Promise<Requirements> {
    const snapshot = await onboarding.snapshot(tenantId, organizationId);
    return view.requirements(tenantId, organizationId, kybStatus, 'requirements' in snapshot ? snapshot.requirements : NO_REQUIREMENTS);
  }

  /** The organization's stored profile and representative, without asking its workflow what is due. */
  async function profile(tenantId: string, organizationId: string) {
    const r = await row(tenantId, organizationId);
    return {
      organizationId: r.id,
      businessName: r.business_name,
      businessType: r.business_type,
      registrationNumber: r.registration_number,
      countryOfIncorporation: r.country_of_incorporation,
      dateOfIncorporation: r.date_of_incorporation,
      industryType: r.industry_code,
      contactEmail: r.contact_email,
      contactPhone: r.contact_phone,
      representative: { firstName: r.first_name, lastName: r.last_name, email: r.email, phone: r.phone },
      status: r.status,
      kybStatus: r.kyb_status,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    };
  }

  async function get(tenantId: string, organizationId: string) {
    const { createdAt, updatedAt, ...stored } = await profile(tenantId, organizationId);
    const requirements = await requirementsOf(tenantId, organizationId, stored.kybStatus);
    return { ...stored, lifecycleStatus: lifecycleOf(stored.status), requirements, createdAt, updatedAt };
  }

  /** Only an organization of this tenant: an individual's or another tenant's id is simply not found. */
  async function requireOrganization(tenantId: string, organizationId: string): Promise<void> {
    await row(tenantId, organizationId);
  }

  return {
    get,
    profile,

    /** The organization while it is in `status`; otherwise 404 (see the README on GET /v2/organization/{id}/{status}). */
    async getInStatus(tenantId: string, organizationId: string, status: OrganizationStatus) {
      const organization = await get(tenantId, organizationId);
      if (organization.status !== status) throw new NotFoundError(`Organization is not ${status}`);
      return organization;
    },

    async changeStatus(tenantId: string, organizationId: string, target: OrganizationStatus, actor: string) {
      const status = await changeStatusByStaff({ db, webhookWake }, { tenantId, customerId: organizationId, target, type: 'ORGANIZATION', actor });
      return { organizationId, status };
    },

    async startKyb(tenantId: string, organizationId: string) {
      await requireOrganization(tenantId, organizationId);
      return onboarding.send(tenantId, organizationId, startKybUpdate);
    },

    /** A compliance decision (platform staff): the tenant comes from the organization. */
    async decideReview(organizationId: string, decision: ReviewDecision) {
      const tenantId = await records.tenantOfCustomer(organizationId);
      await requireOrganization(tenantId, organizationId);
      const snapshot = await onboarding.send(tenantId, organizationId, decideReviewUpdate, decision);
      return { organizationId, status: snapshot.status, kybStatus: snapshot.kybStatus, requirements: snapshot.requirements };
    },
  };
}

export type OrganizationService = ReturnType<typeof createOrganizationService>;

/** The legal (business) names of these organizations, by organization id: labels for staff lists. */
export async function businessNamesOf(db: Knex, organizationIds: readonly string[]): Promise<Map<string, string>> {
  if (organizationIds.length === 0) return new Map();
  const rows = await db('organization_profiles').whereIn('customer_id', organizationIds).select<Array<{ customer_id: string; business_name: string }>>('customer_id', 'business_name');
  return new Map(rows.map((row) => [row.customer_id, row.business_name]));
}
