/**
 * Documents (seed 001 SCT11, seed 002 "document upload"): a tenant uploads, lists and downloads its customers'
 * documents; compliance staff read them with their history and record decisions.
 */
import { actorLabel, actorOf } from '../auth/actor';
import { tenantOf } from '../auth/guards';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { attachmentDisposition, contentDisposition } from './content';
import { documentParams, documentId, documentSchema, ownerParams, reviewBody, staffDocumentSchema, uploadFormSchema } from './schemas';
import type { DocumentService } from './service';
import type { DocumentStore } from './storage';
import { storeFailure, type DocumentUploads } from './upload';
import { fourEyesResponses } from '../review/decision-responses';
import type { FourEyes } from '../review/four-eyes';

const TAG = 'Documents';
const tenantErrors = {
  401: { description: 'Missing or invalid access token' },
  403: { description: "X-Tenant-ID is not the token's tenant" },
};

export interface DocumentRouteDeps {
  documents: DocumentService;
  uploads: DocumentUploads;
  store: DocumentStore;
  customerType(tenantId: string, customerId: string): Promise<unknown>;
  maxBytes: number;
  fourEyes: FourEyes;
}

export function mountDocumentRoutes(mount: Mount, deps: DocumentRouteDeps) {
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/customer/{customerId}/documents',
    summary: "Upload a document for an individual or an organization (multipart/form-data: file, type, partyId)",
    tag: TAG,
    security: 'tenantOrCustomer',
    capability: 'SCT11',
    params: ownerParams,
    multipartBody: uploadFormSchema,
    // The body is a file streamed to storage, not JSON a key's fingerprint could cover; a repeated upload is a
    // second document with the same sha256, which the tenant can see and staff can ignore.
    idempotent: false,
    responses: {
      201: { description: 'Stored; its type was detected from the bytes and its SHA-256 computed', schema: documentSchema },
      400: { description: 'A missing or unknown field, an unknown document type, no file, an empty file' },
      ...tenantErrors,
      404: { description: 'No such customer for this tenant' },
      413: { description: `Larger than the limit (DOCUMENT_MAX_BYTES, ${deps.maxBytes} bytes here): PAYLOAD_TOO_LARGE` },
      415: { description: 'Not multipart/form-data, not an allowed file type, or bytes that contradict the declared type: UNSUPPORTED_MEDIA_TYPE' },
      503: { description: 'The document store is unavailable; nothing was recorded' },
    },
    handler: async ({ params, req }) => ({
      status: 201,
      body: await deps.uploads.accept(tenantOf(req), params.customerId, req, actorLabel(actorOf(req))),
    }),
  });

  mountRoute(mount, {
    method: 'get',
    path: '/api/v2.1/customer/{customerId}/documents',
    summary: "A customer's documents, newest first",
    tag: TAG,
    security: 'tenantOrCustomer',
    capability: 'SCT11',
    params: ownerParams,
    responses: {
      200: { description: 'The documents (metadata only)', schema: z.object({ data: z.array(documentSchema) }) },
      ...tenantErrors,
      404: { description: 'No such customer for this tenant' },
    },
    handler: async ({ params, req }) => {
      await deps.customerType(tenantOf(req), params.customerId);
      return { status: 200, body: { data: await deps.documents.list(tenantOf(req), params.customerId) } };
    },
  });

  mountRoute(mount, {
    method: 'get',
    path: '/api/v2.1/customer/{customerId}/documents/{documentId}',
    summary: "A document's metadata and review status",
    tag: TAG,
    security: 'tenantOrCustomer',
    capability: 'SCT11',
    params: documentParams,
    responses: { 200: { description: 'The document', schema: documentSchema }, ...tenantErrors, 404: { description: 'No such document for this customer' } },
    handler: async ({ params, req }) => ({
      status: 200,
      body: (await deps.documents.get(tenantOf(req), params.customerId, params.documentId)).view,
    }),
  });

  mountRoute(mount, {
    method: 'get',
    path: '/api/v2.1/customer/{customerId}/documents/{documentId}/content',
    summary: "A document's bytes, as a download",
    tag: TAG,
    security: 'tenantOrCustomer',
    capability: 'SCT11',
    params: documentParams,
    responses: {
      200: {
        description: 'The bytes, with the detected content type, Content-Disposition: attachment and Repr-Digest (SHA-256)',
        contentType: 'application/octet-stream',
        schema: z.string().openapi({ type: 'string', format: 'binary' }),
      },
      ...tenantErrors,
      404: { description: 'No such document for this customer' },
      503: { description: 'The document store is unavailable' },
    },
    handler: async ({ params, req }) => {
      const { view, storageKey, fileName } = await deps.documents.get(tenantOf(req), params.customerId, params.documentId);
      const stream = await deps.store.get(storageKey).catch((error: unknown) => {
        throw storeFailure(error);
      });
      return { status: 200, stream, headers: downloadHeaders(view, fileName) };
    },
  });

  mountRoute(mount, {
    method: 'get',
    path: '/api/v2.1/admin/documents/{documentId}',
    summary: 'A document with the reason, reviewer and time of every decision (staff only)',
    tag: 'Platform administration',
    security: 'staff',
    roles: ['COMPLIANCE_OFFICER', 'OPERATOR'],
    params: z.object({ documentId }),
    responses: {
      200: { description: 'The document and its history, oldest first', schema: staffDocumentSchema },
      401: { description: 'Missing or invalid platform admin token' },
      404: { description: 'No such document' },
    },
    handler: async ({ params }) => ({ status: 200, body: await deps.documents.staffGet(params.documentId) }),
  });

  mountRoute(mount, {
    method: 'get',
    path: '/api/v2.1/admin/documents/{documentId}/content',
    summary: "A document's bytes for the case page: inline for PNG, JPEG and PDF, as a download otherwise (staff only)",
    tag: 'Platform administration',
    security: 'staff',
    roles: ['COMPLIANCE_OFFICER', 'AUDITOR'],
    params: z.object({ documentId }),
    responses: {
      200: {
        description:
          'The bytes with the detected content type, Repr-Digest (SHA-256), no caching, same-origin only, and a CSP that runs nothing; ' +
          'Content-Disposition inline for image/png, image/jpeg and application/pdf, attachment otherwise',
        contentType: 'application/octet-stream',
        schema: z.string().openapi({ type: 'string', format: 'binary' }),
      },
      401: { description: 'Missing or invalid staff session' },
      403: { description: 'A role other than COMPLIANCE_OFFICER or AUDITOR' },
      404: { description: 'No such document' },
      503: { description: 'The document store is unavailable' },
    },
    handler: async ({ params }) => {
      const { view, storageKey, fileName } = await deps.documents.staffContent(params.documentId);
      const stream = await deps.store.get(storageKey).catch((error: unknown) => {
        throw storeFailure(error);
      });
      return { status: 200, stream, headers: staffViewHeaders(view, fileName) };
    },
  });

  mountRoute(mount, {
    method: 'put',
    path: '/api/v2.1/admin/documents/{documentId}/status',
    summary: 'Record a compliance decision on a document: ACCEPTED, REJECTED or REUPLOAD_REQUESTED (with a reason)',
    tag: 'Platform administration',
    security: 'staff',
    roles: ['COMPLIANCE_OFFICER'],
    params: z.object({ documentId }),
    body: reviewBody,
    responses: {
      200: { description: 'Decision recorded; the reviewer is the signed-in staff member (type:id)', schema: staffDocumentSchema },
      ...fourEyesResponses(),
      400: { description: 'Invalid input (a reason is required unless ACCEPTED; the reviewer is never taken from the body)' },
      401: { description: 'Missing or invalid platform admin token' },
      404: { description: 'No such document' },
    },
    handler: async ({ params, body, req }) =>
      deps.fourEyes.decide(req, { caseType: 'DOCUMENT', subjectId: params.documentId, decisionKind: 'DOCUMENT', decision: body.status, reason: body.reason }, async (reason) => ({
        status: 200,
        body: await deps.documents.review(params.documentId, { status: body.status, reason, reviewer: actorLabel(actorOf(req)) }),
      })),
  });
}

/**
 * A download never renders in the browser that fetched it: attachment, no sniffing, a sandbox CSP for the case
 * it is opened anyway, and no caching of personal data. Repr-Digest (RFC 9530) lets the client check the bytes.
 */
function downloadHeaders(view: { contentType: string; sizeBytes: number; sha256: string }, fileName: string): Record<string, string> {
  return {
    'Content-Type': view.contentType,
    'Content-Length': String(view.sizeBytes),
    'Content-Disposition': attachmentDisposition(fileName),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'no-store',
    'Repr-Digest': `sha-256=:${Buffer.from(view.sha256, 'hex').toString('base64')}:`,
  };
}

/** What a browser may render in the case page's viewer: images it decodes itself and PDFs its built-in viewer opens. */
const INLINE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'application/pdf']);

/**
 * The staff view of a document: shown inline where the type (as detected from the bytes when stored) is one a
 * browser renders without running anything, downloaded otherwise. The CSP lets an image or the PDF viewer show it
 * and nothing run; `sandbox` stays except for PDFs, because Chromium's PDF viewer refuses a sandboxed document.
 * Cross-Origin-Resource-Policy keeps other sites from embedding it with the reviewer's cookies.
 */
function staffViewHeaders(view: { contentType: string; sizeBytes: number; sha256: string }, fileName: string): Record<string, string> {
  const inline = INLINE_TYPES.has(view.contentType);
  const csp = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; plugin-types application/pdf";
  return {
    ...downloadHeaders(view, fileName),
    'Content-Disposition': contentDisposition(inline ? 'inline' : 'attachment', fileName),
    'Content-Security-Policy': view.contentType === 'application/pdf' ? csp : `${csp}; sandbox`,
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
