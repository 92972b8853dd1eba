/** Request and response schemas of the document routes, shared by validation, types and the OpenAPI document. */
import { DOCUMENT_CONTENT_TYPES, DOCUMENT_DECISIONS, DOCUMENT_STATUSES, DOCUMENT_TYPES } from '../../common/documents';
import { z } from '../http/openapi';
import { idOf } from '../schemas/params';

export const documentId = idOf('doc', 'doc_3f9a1c0b7e2d4a6f8b1c2d3e');
export const partyId = idOf('pty', 'pty_8c2e4a6b0d1f3e5a7c9b0d2f');
/** Documents belong to any customer: an individual (`cust_`) or an organization (`org_`). */
export const documentOwnerId = z
  .string()
  .regex(/^(cust|org)_[0-9a-f]{24}$/, 'Must be a cust_ or org_ id (the prefix and 24 lowercase hex digits)')
  .openapi({ example: 'org_0f4c2a9b7d1e3f5a6b8c9d0e' });

export const ownerParams = z.object({ customerId: documentOwnerId });
export const documentParams = z.object({ customerId: documentOwnerId, documentId });

/** The form as OpenAPI shows it. */
export const uploadFormSchema = z
  .object({
    file: z.string().openapi({ type: 'string', format: 'binary', description: 'PDF, JPEG, PNG or WebP; the type is detected from the bytes' }),
    type: z.enum(DOCUMENT_TYPES),
    partyId: partyId.optional().openapi({ description: "For an organization: the director, shareholder or other party the document is about" }),
  })
  .openapi('DocumentUpload');

/** The form's text fields as validated, with `file` standing for the stored file (present or not). */
export const uploadFieldsSchema = z.strictObject({
  type: z.enum(DOCUMENT_TYPES, `Must be one of ${DOCUMENT_TYPES.join(', ')}`),
  partyId: partyId.optional(),
  file: z.custom<object>((value) => typeof value === 'object' && value !== null, 'Required'),
});

export const documentSchema = z
  .object({
    documentId: z.string(),
    customerId: z.string(),
    partyId: z.string().nullable(),
    type: z.enum(DOCUMENT_TYPES),
    fileName: z.string(),
    contentType: z.enum(DOCUMENT_CONTENT_TYPES).openapi({ description: 'Detected from the bytes' }),
    sizeBytes: z.number().int(),
    sha256: z.string().openapi({ description: 'SHA-256 of the bytes, lowercase hex' }),
    status: z.enum(DOCUMENT_STATUSES),
    reason: z.string().nullable().openapi({ description: 'What to send again, when a new upload was requested' }),
    reviewedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .openapi('Document');

export const staffDocumentSchema = documentSchema
  .extend({
    tenantId: z.string(),
    reason: z.string().nullable().openapi({ description: 'The reason of the last decision' }),
    reviewer: z.string().nullable(),
    history: z.array(z.object({ status: z.enum(DOCUMENT_STATUSES), reason: z.string().nullable(), actor: z.string(), at: z.iso.datetime() })),
  })
  .openapi('StaffDocument');

export const reviewBody = z
  .strictObject({
    status: z.enum(DOCUMENT_DECISIONS),
    reason: z.string().trim().min(3, 'Give the reason').max(2000).optional(),
  })
  .refine((body) => body.status === 'ACCEPTED' || body.reason !== undefined, { path: ['reason'], message: 'Required when the document is rejected or a new upload is requested' })
  .openapi('DocumentReview');
