/**
 * The documents table's one owner: every read and write of `documents` and `document_status_history`. Bytes are
 * not its business (see storage/); it records what was stored, and staff decisions on it.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from '../../common/db';
import {
  DEFAULT_KYB_REQUIRED_DOCUMENTS,
  PROVIDED_DOCUMENT_STATUSES,
  type DocumentContentType,
  type DocumentDecision,
  type DocumentStatus,
  type DocumentType,
} from '../../common/documents';
import type { CustomerType } from '../../common/statuses';
import { NotFoundError } from '../http/errors';
import { recordEvents } from '../webhooks/emit';
import type { WebhookWake } from '../webhooks/outbox';
import type { TenantSettingsService } from '../tenancy/tenant-settings';

export function newDocumentId(): string {
  return `doc_${randomBytes(12).toString('hex')}`;
}

interface DocumentRow {
  id: string;
  tenant_id: string;
  customer_id: string;
  party_id: string | null;
  type: DocumentType;
  file_name: string;
  content_type: DocumentContentType;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  status: DocumentStatus;
  review_reason: string | null;
  reviewer: string | null;
  reviewed_at: Date | null;
  created_at: Date;
}

export interface NewDocument {
  id: string;
  tenantId: string;
  customerId: string;
  partyId?: string;
  type: DocumentType;
  fileName: string;
  contentType: DocumentContentType;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
  /** The credential that uploaded it. */
  uploadedBy: string;
}

/**
 * What the tenant sees. The reason travels only with REUPLOAD_REQUESTED, where it tells the customer what to send
 * again; a rejection's reason can carry a suspicion (a forged document) and stays with staff, like KYC reasons.
 */
export function tenantView(row: DocumentRow) {
  return {
    documentId: row.id,
    customerId: row.customer_id,
    partyId: row.party_id,
    type: row.type,
    fileName: row.file_name,
    contentType: row.content_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    status: row.status,
    reason: row.status === 'REUPLOAD_REQUESTED' ? row.review_reason : null,
    reviewedAt: row.reviewed_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

export type DocumentView = ReturnType<typeof tenantView>;

export function createDocumentService(db: Knex, webhookWake: WebhookWake) {
  async function staffView(tenantId: string, row: DocumentRow) {
    const history = await db('document_status_history')
      .where({ tenant_id: tenantId, document_id: row.id })
      .orderBy([{ column: 'at' }, { column: 'id' }])
      .select<Array<{ status: DocumentStatus; reason: string | null; actor: string; at: Date }>>('status', 'reason', 'actor', 'at');
    return {
      ...tenantView(row),
      tenantId,
      reason: row.review_reason,
      reviewer: row.reviewer,
      history: history.map((h) => ({ status: h.status, reason: h.reason, actor: h.actor, at: h.at.toISOString() })),
    };
  }

  return {
    /** The row and its first history entry, together. */
    async record(doc: NewDocument): Promise<DocumentView> {
      return db.transaction(async (trx) => {
        const [row] = await trx('documents')
          .insert({
            id: doc.id,
            tenant_id: doc.tenantId,
            customer_id: doc.customerId,
            party_id: doc.partyId ?? null,
            type: doc.type,
            file_name: doc.fileName,
            content_type: doc.contentType,
            size_bytes: doc.sizeBytes,
            sha256: doc.sha256,
            storage_key: doc.storageKey,
            status: 'UPLOADED',
          })
          .returning<DocumentRow[]>('*');
        await trx('document_status_history').insert({ tenant_id: doc.tenantId, document_id: doc.id, status: 'UPLOADED', actor: doc.uploadedBy });
        return tenantView(row!);
      });
    },

    /** Newest first. */
    async list(tenantId: string, customerId: string): Promise<DocumentView[]> {
      const rows = await db('documents')
        .where({ tenant_id: tenantId, customer_id: customerId })
        .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
        .select<DocumentRow[]>('*');
      return rows.map(tenantView);
    },

    /** One of the tenant's customer's documents, with where its bytes are; anyone else's is a 404. */
    async get(tenantId: string, customerId: string, documentId: string): Promise<{ view: DocumentView; storageKey: string; fileName: string }> {
      const row = await db('documents').where({ tenant_id: tenantId, customer_id: customerId, id: documentId }).first<DocumentRow | undefined>();
      if (!row) throw new NotFoundError('Document not found');
      return { view: tenantView(row), storageKey: row.storage_key, fileName: row.file_name };
    },

    /** Staff only: a document with its reason, reviewer and every decision. */
    async staffGet(documentId: string) {
      const row = await db('documents').where({ id: documentId }).first<DocumentRow | undefined>();
      if (!row) throw new NotFoundError('Document not found');
      return staffView(row.tenant_id, row);
    },

    /** Staff only: a customer's documents with their decisions, oldest first (the case page). */
    async staffList(tenantId: string, customerId: string) {
      const rows = await db('documents')
        .where({ tenant_id: tenantId, customer_id: customerId })
        .orderBy([{ column: 'created_at' }, { column: 'id' }])
        .select<DocumentRow[]>('*');
      return Promise.all(rows.map((row) => staffView(tenantId, row)));
    },

    /** Staff only: where a document's bytes are, whoever's it is (the case page's inline view). */
    async staffContent(documentId: string): Promise<{ view: DocumentView; storageKey: string; fileName: string }> {
      const row = await db('documents').where({ id: documentId }).first<DocumentRow | undefined>();
      if (!row) throw new NotFoundError('Document not found');
      return { view: tenantView(row), storageKey: row.storage_key, fileName: row.file_name };
    },

    /**
     * Records a staff decision on the row and in the history, in one transaction, with its document.reviewed
     * event (woken after the commit). Staff may revise a decision (a document accepted, then found forged); each
     * one is kept, and each is an event.
     */
    async review(documentId: string, decision: { status: DocumentDecision; reason?: string; reviewer: string }) {
      const { row, subscriptionIds } = await db.transaction(async (trx) => {
        const current = await trx('documents').where({ id: documentId }).forUpdate().first<DocumentRow | undefined>();
        if (!current) throw new NotFoundError('Document not found');
        const [row] = await trx('documents')
          .where({ tenant_id: current.tenant_id, id: documentId })
          .update({ status: decision.status, review_reason: decision.reason ?? null, reviewer: decision.reviewer, reviewed_at: trx.fn.now() })
          .returning<DocumentRow[]>('*');
        await trx('document_status_history').insert({
          tenant_id: current.tenant_id,
          document_id: documentId,
          status: decision.status,
          reason: decision.reason ?? null,
          actor: decision.reviewer,
        });
        const owner = await trx('customers').where({ tenant_id: current.tenant_id, id: current.customer_id }).first<{ type: CustomerType }>('type');
        const subscriptionIds = await recordEvents(trx, [
          {
            tenantId: current.tenant_id,
            subjectId: current.customer_id,
            type: 'document.reviewed',
            // The reason stays out: a rejection's can carry a suspicion, and any reason may quote the document.
            data: { customerId: current.customer_id, customerType: owner!.type, documentId, documentType: current.type, outcome: decision.status },
          },
        ]);
        return { row: row!, subscriptionIds };
      });
      await webhookWake(row.tenant_id, subscriptionIds);
      return staffView(row.tenant_id, row);
    },
  };
}

export type DocumentService = ReturnType<typeof createDocumentService>;

/**
 * Documents no reviewer has decided yet (UPLOADED), since their upload, as a subquery (tenant_id, document_id,
 * since, type) for the review queue's one paged query.
 */
export function documentsAwaitingReview(db: Knex): Knex.QueryBuilder {
  return db('documents').where({ status: 'UPLOADED' }).select('tenant_id', 'id as document_id', 'created_at as since', 'type');
}

/**
 * The document types the tenant's KYB requires (setting `kybRequiredDocuments`, default
 * CERTIFICATE_OF_INCORPORATION) that the customer has not provided: no document of that type UPLOADED or
 * ACCEPTED (see PROVIDED_DOCUMENT_STATUSES). In the order the settings list them. For the organization flow.
 */
export async function missingRequiredDocuments(
  deps: { db: Knex; tenantSettings: Pick<TenantSettingsService, 'get'> },
  tenantId: string,
  customerId: string,
): Promise<DocumentType[]> {
  const settings = await deps.tenantSettings.get(tenantId);
  const required = settings.kybRequiredDocuments ?? DEFAULT_KYB_REQUIRED_DOCUMENTS;
  if (required.length === 0) return [];
  const provided = await deps.db('documents')
    .where({ tenant_id: tenantId, customer_id: customerId })
    .whereIn('type', required)
    .whereIn('status', PROVIDED_DOCUMENT_STATUSES)
    .distinct<Array<{ type: DocumentType }>>('type');
  const have = new Set(provided.map((p) => p.type));
  return required.filter((type) => !have.has(type));
}

/** A document's tenant, owner and status, for the back office's case rules (api/review); undefined when unknown. */
export async function documentCaseState(db: Knex, documentId: string): Promise<{ tenantId: string; customerId: string; status: DocumentStatus } | undefined> {
  const row = await db('documents').where({ id: documentId }).first<DocumentRow | undefined>('tenant_id', 'customer_id', 'status');
  return row && { tenantId: row.tenant_id, customerId: row.customer_id, status: row.status };
}
