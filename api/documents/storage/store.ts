/**
 * Where document bytes live. The API is the only component that reads or writes them: a document arrives and
 * leaves over HTTP, workflows only ever see its id, so the worker needs no storage credentials. Two adapters:
 * files under a directory (the embedded default) and S3 (production). Both take keys made of tenant and document
 * ids only, so an object listing, a log line or an error message never shows a name.
 */
import type { Readable } from 'node:stream';

export interface DocumentStore {
  /** "local" or "s3", for logs and errors. */
  readonly kind: string;
  /** Stores the bytes under `key` (a new document's). Rejects with the stream's own error when `bytes` fails. */
  put(key: string, bytes: Readable, contentType: string): Promise<void>;
  /** The bytes as a stream; a missing key is a DocumentStoreError with reason NotFound. */
  get(key: string): Promise<Readable>;
  /** Removes the object; a missing one is not an error (deletes are retried after partial failures). */
  delete(key: string): Promise<void>;
}

/**
 * Stable reasons: NotFound (no such object), Unavailable (the store could not be reached or failed, after the
 * adapter's retries: try again later), Refused (the store refused the request: configuration or permissions).
 */
export type DocumentStoreFailure = 'NotFound' | 'Unavailable' | 'Refused';

export class DocumentStoreError extends Error {
  override readonly name = 'DocumentStoreError';
  constructor(
    readonly reason: DocumentStoreFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Ids joined by slashes: no dot segments, no absolute paths, nothing a person typed. */
const SAFE_KEY = /^[A-Za-z0-9_-]{1,128}(\/[A-Za-z0-9_-]{1,128}){0,7}$/;

export function assertSafeKey(key: string): void {
  if (!SAFE_KEY.test(key)) throw new DocumentStoreError('Refused', 'Document store: refused a malformed object key');
}

/** The one key scheme: a document's bytes sit under its tenant, named by its id. */
export function storageKeyFor(tenantId: string, documentId: string): string {
  const key = `${tenantId}/${documentId}`;
  assertSafeKey(key);
  return key;
}
