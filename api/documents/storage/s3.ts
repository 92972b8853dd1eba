/**
 * The S3 document store (AWS S3 or any S3-compatible server: MinIO, Ceph RGW, …), after the KYC adapter's rules:
 * - transient failures (5xx, throttling, timeouts, dropped connections) are retried by the SDK's standard retry
 *   strategy with back-off, up to `maxAttempts`; what still fails is `Unavailable` (the API answers 503);
 * - anything else the store refuses (403, a missing bucket, a bad request) fails at once as `Refused`, and a
 *   missing object as `NotFound`;
 * - messages name the operation, HTTP status and S3 error code only: never the bucket, the key or the bytes.
 *
 * PutObject needs the length up front, so a document is gathered in memory before it is sent: at most the upload
 * limit (DOCUMENT_MAX_BYTES, enforced upstream while it streams in), in exchange for one request instead of a
 * multipart upload whose parts are 5 MiB at least anyway. Content-MD5 lets the store check what it received.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { assertSafeKey, DocumentStoreError, type DocumentStore } from './store';

export interface S3DocumentStoreOptions {
  bucket: string;
  region: string;
  /** An S3-compatible endpoint; unset = AWS for the region. */
  endpoint?: string;
  forcePathStyle: boolean;
  /** Unset = the SDK's default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  keyPrefix: string;
  /** Attempts per request, the first included (SDK standard retry mode). */
  maxAttempts?: number;
  /** Per attempt, to the last byte of the answer's headers. */
  requestTimeoutMs?: number;
}

export function createS3DocumentStore(options: S3DocumentStoreOptions): DocumentStore & { close(): void } {
  const client = new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    credentials: options.credentials,
    maxAttempts: options.maxAttempts ?? 3,
    retryMode: 'standard',
    requestHandler: { connectionTimeout: 5_000, requestTimeout: options.requestTimeoutMs ?? 30_000 },
    // The SDK's default CRC32 trailers (aws-chunked bodies) are not understood by every S3-compatible server: some
    // store the chunk framing as the object's content. Content-MD5 below covers the upload instead.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const { bucket, keyPrefix } = options;
  const objectKey = (key: string) => {
    assertSafeKey(key);
    return `${keyPrefix}${key}`;
  };

  return {
    kind: 's3',
    async put(key, bytes, contentType) {
      const body = await gather(bytes);
      const md5 = createHash('md5').update(body).digest('base64');
      await call('PutObject', () =>
        client.send(new PutObjectCommand({ Bucket: bucket, Key: objectKey(key), Body: body, ContentType: contentType, ContentLength: body.length, ContentMD5: md5 })),
      );
    },
    async get(key) {
      const answer = await call('GetObject', () => client.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey(key) })));
      // In Node the SDK's body is the HTTP response stream itself.
      if (!(answer.Body instanceof Readable)) throw new DocumentStoreError('Unavailable', 'Document store s3: GetObject answered without a body');
      return answer.Body;
    },
    async delete(key) {
      await call('DeleteObject', () => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) })));
    },
    close: () => client.destroy(),
  };
}

/** Reads the whole stream; its own errors (the upload limit, a refused type) pass through unchanged. */
async function gather(bytes: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of bytes) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function call<T>(operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw storeFailure(operation, error);
  }
}

/** By the time an error reaches here the SDK has already retried what it deems transient. */
function storeFailure(operation: string, error: unknown): DocumentStoreError {
  const prefix = `Document store s3: ${operation}`;
  if (error instanceof DocumentStoreError) return error;
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode;
    const code = /^[A-Za-z0-9]{1,64}$/.test(error.name) ? error.name : 'UnknownError';
    if (code === 'NoSuchKey' || (status === 404 && operation === 'GetObject' && code !== 'NoSuchBucket')) {
      return new DocumentStoreError('NotFound', `${prefix} found no such document`);
    }
    const transient = status === undefined || status >= 500 || status === 408 || status === 429;
    return new DocumentStoreError(transient ? 'Unavailable' : 'Refused', `${prefix} answered ${status ?? 'no status'} ${code}`);
  }
  // Network errors and timeouts: no answer at all.
  const e = error as { name?: string; code?: unknown };
  const what = typeof e?.code === 'string' ? e.code : (e?.name ?? 'unknown error');
  return new DocumentStoreError('Unavailable', `${prefix} failed on the network (${what})`);
}
