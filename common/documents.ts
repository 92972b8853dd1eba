/**
 * The document vocabulary shared by the API (uploads, staff review), tenant settings (which documents KYB needs)
 * and the organization flow (what is still due).
 */

/** What a document is. OTHER is for anything staff asked for that has no type of its own. */
export const DOCUMENT_TYPES = [
  // The company
  'CERTIFICATE_OF_INCORPORATION',
  'ARTICLES_OF_ASSOCIATION',
  'SHAREHOLDER_REGISTER',
  'REGISTER_OF_DIRECTORS',
  'PROOF_OF_BUSINESS_ADDRESS',
  'FINANCIAL_STATEMENTS',
  // A person
  'PASSPORT',
  'ID_CARD',
  'DRIVING_LICENCE',
  'RESIDENCE_PERMIT',
  'PROOF_OF_ADDRESS',
  'SELFIE',
  // Either
  'BANK_STATEMENT',
  'POWER_OF_ATTORNEY',
  'OTHER',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** UPLOADED until staff decide; REJECTED and REUPLOAD_REQUESTED always carry the reason. */
export const DOCUMENT_STATUSES = ['UPLOADED', 'ACCEPTED', 'REJECTED', 'REUPLOAD_REQUESTED'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** The decisions staff may record (a document is UPLOADED only when it arrives). */
export const DOCUMENT_DECISIONS = ['ACCEPTED', 'REJECTED', 'REUPLOAD_REQUESTED'] as const satisfies readonly DocumentStatus[];
export type DocumentDecision = (typeof DOCUMENT_DECISIONS)[number];

/**
 * A document counts as provided while it is UPLOADED (awaiting review) or ACCEPTED: the tenant has sent what was
 * asked for, and a check must not stall on staff who have not looked yet. REJECTED and REUPLOAD_REQUESTED do not
 * count, so the requirement is due again until a new file arrives.
 */
export const PROVIDED_DOCUMENT_STATUSES = ['UPLOADED', 'ACCEPTED'] as const satisfies readonly DocumentStatus[];

/** What KYB requires when the tenant's settings name nothing else (kybRequiredDocuments). */
export const DEFAULT_KYB_REQUIRED_DOCUMENTS: readonly DocumentType[] = ['CERTIFICATE_OF_INCORPORATION'];

/**
 * Content types a document may have, as detected from its bytes. Staff review documents in a browser, so only
 * formats every browser shows: PDF for scans and registry extracts, JPEG/PNG/WebP for photos. HEIC (iPhone
 * photos) is left out because browsers other than Safari cannot display it; the tenant's app converts it.
 */
export const DOCUMENT_CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/webp'] as const;
export type DocumentContentType = (typeof DOCUMENT_CONTENT_TYPES)[number];
