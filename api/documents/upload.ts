/**
 * Receiving one document: a multipart/form-data body is parsed as it streams in (busboy); the file part is
 * typed from its first bytes, hashed and counted on its way to the store, and refused the moment it passes the
 * size limit. At most the limit is held in memory (the S3 adapter gathers the object; the local one holds
 * nothing). The row is written only after every byte is stored, so a failed write leaves no row; a refused
 * request (bad fields, a second file, a failed insert) deletes the object it stored. Should that delete fail too,
 * the object stays as an orphan: no row points to it and its key holds no personal data.
 */
import { createHash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { Request } from 'express';
import type { DocumentContentType } from '../../common/documents';
import type { Logger } from '../../common/logger';
import { ApiError, PayloadTooLargeError, ServiceUnavailableError, UnsupportedMediaTypeError, ValidationError } from '../http/errors';
import { parse } from '../http/route';
import { ALLOWED_FORMATS, declaredContentType, detectContentType, sanitizeFileName, SIGNATURE_BYTES } from './content';
import { uploadFieldsSchema } from './schemas';
import { DocumentStoreError, storageKeyFor, type DocumentStore } from './storage';
import { newDocumentId, type DocumentService, type DocumentView } from './service';

export interface DocumentUploadDeps {
  documents: DocumentService;
  store: DocumentStore;
  /** The customer (individual or organization) in this tenant, or NotFoundError. */
  customerType(tenantId: string, customerId: string): Promise<'INDIVIDUAL' | 'ORGANIZATION'>;
  maxBytes: number;
  logger: Logger;
}

interface StoredFile {
  fileName: string;
  contentType: DocumentContentType;
  sizeBytes: number;
  sha256: string;
}

export function createDocumentUploads({ documents, store, customerType, maxBytes, logger }: DocumentUploadDeps) {
  const limitMessage = `The document is larger than the limit of ${maxBytes} bytes`;

  async function discard(key: string): Promise<void> {
    await store.delete(key).catch((error: unknown) => {
      logger.warn({ store: store.kind, reason: error instanceof DocumentStoreError ? error.reason : 'unknown' }, 'an orphaned document object remains');
    });
  }

  /** The file part: typed from its signature, then streamed through the meter into the store. */
  async function storeFile(key: string, source: Readable, info: busboy.FileInfo): Promise<StoredFile> {
    const { head, rest } = await readHead(source, SIGNATURE_BYTES);
    if (head.length === 0) throw new ValidationError([{ field: 'file', message: 'The file is empty' }]);
    const contentType = detectContentType(head);
    if (!contentType) {
      throw new UnsupportedMediaTypeError(`The file must be a ${ALLOWED_FORMATS} document (judged from its content)`, [{ field: 'file', message: 'Not an allowed file type' }]);
    }
    const declared = declaredContentType(info.mimeType);
    if (declared !== undefined && declared !== contentType) {
      throw new UnsupportedMediaTypeError(`The file's content is ${contentType} but it was sent as ${declared}`, [{ field: 'file', message: 'Content does not match the declared type' }]);
    }
    const meter = new DigestMeter(maxBytes, limitMessage);
    // Both settle before anything is answered: a refused upload is answered only once the store has cleaned up.
    const [streamed, put] = await Promise.allSettled([pipeline(rest, meter), store.put(key, meter, contentType)]);
    const failed = [streamed, put].find((outcome) => outcome.status === 'rejected');
    if (failed) throw meter.failure ?? (failed.reason instanceof ApiError ? failed.reason : storeFailure(failed.reason));
    return { fileName: sanitizeFileName(info.filename, contentType), contentType, sizeBytes: meter.bytes, sha256: meter.digest() };
  }

  /** Parses the whole body; resolves once it is read and the file (if any) is stored. */
  function receive(req: Request, key: string): Promise<{ fields: Record<string, string>; file?: StoredFile }> {
    if (!/^multipart\/form-data\s*;/i.test(req.get('content-type') ?? '')) {
      return Promise.reject(new UnsupportedMediaTypeError('Send the document as multipart/form-data with a "file" part and a "type" field'));
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // Browsers and HTTP clients send a file name's UTF-8 bytes as they are (RFC 7578 §4.2).
        defParamCharset: 'utf8',
        limits: { files: 1, fields: 4, parts: 5, fieldNameSize: 32, fieldSize: 256, fileSize: maxBytes + 1 },
      });
    } catch {
      return Promise.reject(new ValidationError([{ field: 'Content-Type', message: 'multipart/form-data needs a boundary' }]));
    }
    return new Promise((resolve, reject) => {
      const fields: Record<string, string> = {};
      let stored: Promise<StoredFile> | undefined;
      let fileStream: Readable | undefined;
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        // Stop parsing and let the rest of the body drain (bounded by the server's request timeout).
        req.unpipe(parser);
        req.resume();
        // A file still streaming ends here; whatever the store wrote of it is removed before the answer goes out.
        fileStream?.destroy();
        if (!stored) return reject(error);
        void stored.catch(() => undefined).then(() => discard(key)).then(() => reject(error));
      };
      parser.on('field', (name, value, info) => {
        if (info.nameTruncated || info.valueTruncated) fail(new ValidationError([{ field: name.slice(0, 32), message: 'Too long' }]));
        else if (name in fields) fail(new ValidationError([{ field: name, message: 'Given more than once' }]));
        else fields[name] = value;
      });
      parser.on('file', (name, stream, info) => {
        // Parts the parser had already buffered when the request was refused are drained, never stored.
        if (settled) {
          stream.resume();
          return;
        }
        if (name !== 'file' || stored) {
          stream.resume();
          fail(new ValidationError([{ field: name, message: name === 'file' ? 'Send one file per request' : 'Unknown file field; send the document as "file"' }]));
          return;
        }
        fileStream = stream;
        stored = storeFile(key, stream, info);
        stored.catch(fail);
      });
      const tooMany = () => fail(new ValidationError([{ field: 'body', message: 'Send one "file" part, a "type" field and optionally "partyId"' }]));
      parser.on('filesLimit', tooMany);
      parser.on('fieldsLimit', tooMany);
      parser.on('partsLimit', tooMany);
      parser.on('error', () => fail(new ValidationError([{ field: 'body', message: 'Malformed multipart/form-data body' }])));
      parser.on('close', () => {
        if (settled) return;
        (stored ?? Promise.resolve(undefined)).then((file) => {
          if (settled) return;
          settled = true;
          resolve({ fields, file });
        }, fail);
      });
      req.once('error', () => fail(new ValidationError([{ field: 'body', message: 'The upload was interrupted' }])));
      req.pipe(parser);
    });
  }

  return {
    /** Stores a document for a tenant's customer: 404 before a byte is read when the customer is not theirs. */
    async accept(tenantId: string, customerId: string, req: Request, uploadedBy: string): Promise<DocumentView> {
      const type = await customerType(tenantId, customerId);
      const id = newDocumentId();
      const key = storageKeyFor(tenantId, id);
      const { fields, file } = await receive(req, key);
      try {
        // The file is checked with the fields, so one answer names everything missing.
        const { file: stored, ...metadata } = parse(uploadFieldsSchema, { ...fields, file })!;
        if (metadata.partyId && type !== 'ORGANIZATION') {
          throw new ValidationError([{ field: 'partyId', message: "Only an organization's documents can be about one of its parties" }]);
        }
        return await documents.record({ id, tenantId, customerId, partyId: metadata.partyId, type: metadata.type, ...(stored as StoredFile), storageKey: key, uploadedBy });
      } catch (error) {
        if (file) await discard(key);
        throw error;
      }
    },
  };
}

export type DocumentUploads = ReturnType<typeof createDocumentUploads>;

/** Counts and hashes the bytes on their way through, and fails the stream once there are more than allowed. */
class DigestMeter extends Transform {
  bytes = 0;
  failure: ApiError | undefined;
  private readonly hash = createHash('sha256');

  constructor(
    private readonly maxBytes: number,
    private readonly limitMessage: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      this.failure = new PayloadTooLargeError(this.limitMessage);
      callback(this.failure);
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/** The first `size` bytes (fewer if the stream is shorter), and a stream of all the bytes, those included. */
async function readHead(source: Readable, size: number): Promise<{ head: Buffer; rest: Readable }> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < size) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    chunks.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* everything() {
    yield head;
    if (ended) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { head, rest: Readable.from(everything(), { objectMode: false }) };
}

/** The store's transient failures are the client's 503; what else it refuses is ours (500, logged). */
export function storeFailure(error: unknown): unknown {
  if (error instanceof DocumentStoreError && error.reason === 'Unavailable') {
    return new ServiceUnavailableError('The document could not be stored; retry shortly');
  }
  return error;
}
