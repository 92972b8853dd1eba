/**
 * The S3 document store against a real S3-compatible server process (s3rver), first on its own, then behind the
 * API (DOCUMENT_STORE=s3) as a tenant uses it.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createS3DocumentStore } from '../../api/documents/storage/s3';
import { DocumentStoreError, storageKeyFor } from '../../api/documents/storage/store';
import { download, insertOrganization, pdfFile, pngFile, sha256, upload } from '../support/documents';
import { startHarness, type Harness } from '../support/harness';
import { destroyS3Server, S3RVER_CREDENTIALS, startS3Server, type RunningS3Server } from '../support/s3-server';
import { createTenant, type TenantSession } from '../support/tenant-client';

const PREFIX = 'onboarding/';
let s3: RunningS3Server;
let h: Harness;
let tenant: TenantSession;
let sdk: S3Client;

beforeAll(async () => {
  s3 = await startS3Server();
  sdk = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  h = await startHarness('document_store_s3', {
    env: {
      DOCUMENT_STORE: 's3',
      DOCUMENT_S3_BUCKET: s3.bucket,
      DOCUMENT_S3_ENDPOINT: s3.endpoint,
      DOCUMENT_S3_FORCE_PATH_STYLE: 'true',
      DOCUMENT_S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      DOCUMENT_S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      DOCUMENT_S3_KEY_PREFIX: PREFIX,
    },
  });
  tenant = await createTenant(h);
});
afterAll(async () => {
  sdk?.destroy();
  await h?.close();
  await destroyS3Server(s3);
});

const storeFor = (overrides: Partial<Parameters<typeof createS3DocumentStore>[0]> = {}) =>
  createS3DocumentStore({ bucket: s3.bucket, region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS, keyPrefix: PREFIX, ...overrides });
const newKey = () => storageKeyFor(`tnt_${randomBytes(12).toString('hex')}`, `doc_${randomBytes(12).toString('hex')}`);
const collect = async (stream: Readable) => Buffer.concat(await stream.toArray());
const failureOf = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a failure'); }, (error: unknown) => error);

describe('the S3 adapter', () => {
  it('puts a stream, reads the same bytes back with their content type, and deletes them', async () => {
    const store = storeFor();
    const key = newKey();
    const bytes = randomBytes(700_000);
    await store.put(key, Readable.from([bytes.subarray(0, 65_536), bytes.subarray(65_536)]), 'application/pdf');

    expect((await collect(await store.get(key))).equals(bytes)).toBe(true);
    const head = await sdk.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: `${PREFIX}${key}` }));
    expect(head).toMatchObject({ ContentType: 'application/pdf', ContentLength: bytes.length });

    await store.delete(key);
    const gone = await failureOf(store.get(key));
    expect(gone).toBeInstanceOf(DocumentStoreError);
    expect(gone).toMatchObject({ reason: 'NotFound', message: 'Document store s3: GetObject found no such document' });
    await store.delete(key); // deleting what is gone is not an error
    store.close();
  });

  it('stores nothing when the source stream fails, and passes its error through', async () => {
    const store = storeFor();
    const key = newKey();
    const refused = new Error('the upload went over the limit');
    async function* failing() {
      yield randomBytes(1000);
      throw refused;
    }
    await expect(store.put(key, Readable.from(failing()), 'image/png')).rejects.toBe(refused);
    const listed = await sdk.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${PREFIX}${key}` }));
    expect(listed.KeyCount).toBe(0);
    store.close();
  });

  it('fails with stable reasons that name neither bucket nor key', async () => {
    const key = newKey();
    const noBucket = storeFor({ bucket: 'no-such-bucket' });
    const missing = await failureOf(noBucket.put(key, Readable.from([Buffer.from('%PDF-')]), 'application/pdf'));
    expect(missing).toMatchObject({ reason: 'Refused', message: 'Document store s3: PutObject answered 404 NoSuchBucket' });

    const stranger = storeFor({ credentials: { accessKeyId: 'NOT-A-KEY', secretAccessKey: 'nope' } });
    const forbidden = await failureOf(stranger.get(key));
    expect(forbidden).toMatchObject({ reason: 'Refused', message: 'Document store s3: GetObject answered 403 InvalidAccessKeyId' });

    const malformed = await failureOf(noBucket.get('../../etc/passwd'));
    expect(malformed).toMatchObject({ reason: 'Refused', message: 'Document store: refused a malformed object key' });
    for (const error of [missing, forbidden]) expect((error as Error).message).not.toMatch(/no-such-bucket|tnt_|doc_/);
    noBucket.close();
    stranger.close();
  });
});

describe('the API on the S3 store', () => {
  it("uploads an organization's documents into the bucket under ids only and downloads them byte for byte", async () => {
    const organizationId = await insertOrganization(h, tenant.tenantId);
    const bytes = pdfFile(250_000);
    const res = await upload(h, tenant, organizationId, { bytes, fileName: 'Acme Ltd certificate.pdf', contentType: 'application/pdf', fields: { type: 'CERTIFICATE_OF_INCORPORATION' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ sha256: sha256(bytes), sizeBytes: bytes.length, contentType: 'application/pdf' });

    const listed = await sdk.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${PREFIX}${tenant.tenantId}/` }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual([`${PREFIX}${tenant.tenantId}/${res.body.documentId}`]);

    const got = await download(h, tenant, organizationId, res.body.documentId);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(bytes)).toBe(true);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toBe('attachment; filename="Acme Ltd certificate.pdf"; filename*=UTF-8\'\'Acme%20Ltd%20certificate.pdf');
  });

  it('answers 503 and records nothing while the store is down, and serves again once it is back', async () => {
    const organizationId = await insertOrganization(h, tenant.tenantId);
    const stored = await upload(h, tenant, organizationId, { bytes: pngFile(), contentType: 'image/png', fields: { type: 'SHAREHOLDER_REGISTER' } });
    expect(stored.status).toBe(201);

    await s3.stop();
    try {
      const refused = await upload(h, tenant, organizationId, { bytes: pdfFile(), contentType: 'application/pdf', fields: { type: 'ARTICLES_OF_ASSOCIATION' } });
      expect(refused.status).toBe(503);
      expect(refused.body).toEqual({ error: 'SERVICE_UNAVAILABLE', message: 'The document could not be stored; retry shortly' });
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(await h.db('documents').where({ tenant_id: tenant.tenantId, customer_id: organizationId }).pluck('type')).toEqual(['SHAREHOLDER_REGISTER']);
      expect((await download(h, tenant, organizationId, stored.body.documentId)).status).toBe(503);
    } finally {
      await s3.restart();
    }
    expect((await download(h, tenant, organizationId, stored.body.documentId)).status).toBe(200);
  });
});
