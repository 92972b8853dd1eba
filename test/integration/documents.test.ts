import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { missingRequiredDocuments } from '../../api/documents/service';
import { createTenantSettingsService } from '../../api/tenancy/tenant-settings';
import { download, executableFile, insertOrganization, jpegFile, pdfFile, pngFile, sha256, textFile, upload, zipFile } from '../support/documents';
import { staffHeaders, staffSession } from '../support/staff';
import { startHarness, type Harness } from '../support/harness';
import { register } from '../support/journey';
import { createTenant, http, type TenantSession } from '../support/tenant-client';
import { staffActorLabel } from '../support/staff-actor';

const MAX_BYTES = 200_000;

let h: Harness;
let tenant: TenantSession;
let individualId: string;
let organizationId: string;

beforeAll(async () => {
  h = await startHarness('documents', { env: { DOCUMENT_MAX_BYTES: String(MAX_BYTES) } });
  tenant = await createTenant(h);
  individualId = (await register(tenant)).customerId;
  organizationId = await insertOrganization(h, tenant.tenantId);
});
afterAll(() => h?.close());

const documentsOf = (customerId: string) => `/api/v2.1/customer/${customerId}/documents`;
const compliance = () => staffSession(h, ['COMPLIANCE_OFFICER']);
const review = async (documentId: string, body: unknown) =>
  http(h.api.url, 'PUT', `/api/v2.1/admin/documents/${documentId}/status`, { body, headers: (await compliance()).headers });
/** Every object the local store holds, as tenant/document paths. */
const storedObjects = () => readdirSync(h.config.DOCUMENT_DIR!, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
const rowCount = async () => Number((await h.db('documents').count({ n: '*' }).first())!.n);

describe('uploading and reading back', () => {
  it("stores an individual's PDF with the detected type, size and SHA-256, and records who uploaded it", async () => {
    const bytes = pdfFile(150_000);
    const res = await upload(h, tenant, individualId, { bytes, fileName: 'passport scan.pdf', contentType: 'application/pdf', fields: { type: 'PASSPORT' } });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      documentId: expect.stringMatching(/^doc_[0-9a-f]{24}$/),
      customerId: individualId,
      partyId: null,
      type: 'PASSPORT',
      fileName: 'passport scan.pdf',
      contentType: 'application/pdf',
      sizeBytes: bytes.length,
      sha256: sha256(bytes),
      status: 'UPLOADED',
      reason: null,
      reviewedAt: null,
      createdAt: expect.any(String),
    });
    const row = await h.db('documents').where({ id: res.body.documentId }).first();
    expect(row).toMatchObject({ tenant_id: tenant.tenantId, customer_id: individualId, sha256: sha256(bytes), storage_key: `${tenant.tenantId}/${res.body.documentId}` });
    // The key names ids only; the bytes on disk are the bytes sent.
    expect(readFileSync(join(h.config.DOCUMENT_DIR!, row.storage_key)).equals(bytes)).toBe(true);
    const history = await h.db('document_status_history').where({ document_id: res.body.documentId });
    expect(history).toEqual([expect.objectContaining({ tenant_id: tenant.tenantId, status: 'UPLOADED', actor: `tenant:oauth:${tenant.clientId}` })]);
  });

  it('downloads the bytes unchanged, as an attachment that browsers must not sniff', async () => {
    const bytes = pdfFile(120_000);
    const { body } = await upload(h, tenant, individualId, { bytes, fileName: 'Übersicht.pdf', contentType: 'application/pdf', fields: { type: 'BANK_STATEMENT' } });

    const got = await download(h, tenant, individualId, body.documentId);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(bytes)).toBe(true);
    expect(sha256(got.bytes)).toBe(body.sha256);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-length')).toBe(String(bytes.length));
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="_bersicht.pdf"; filename*=UTF-8''%C3%9Cbersicht.pdf`);
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('cache-control')).toBe('no-store');
    expect(got.headers.get('repr-digest')).toBe(`sha-256=:${Buffer.from(body.sha256, 'hex').toString('base64')}:`);
  });

  it("takes an organization's PNG and JPEG (one about a party), lists them newest first and answers each one's metadata", async () => {
    const png = pngFile(40, 30);
    const jpeg = jpegFile();
    const first = await upload(h, tenant, organizationId, { bytes: png, fileName: 'register.png', contentType: 'image/png', fields: { type: 'SHAREHOLDER_REGISTER' } });
    const partyId = 'pty_0123456789abcdef01234567';
    const second = await upload(h, tenant, organizationId, { bytes: jpeg, fileName: 'director-id.jpeg', contentType: 'image/jpeg', fields: { type: 'ID_CARD', partyId } });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.body).toMatchObject({ customerId: organizationId, contentType: 'image/png', sizeBytes: png.length, sha256: sha256(png) });
    expect(second.body).toMatchObject({ partyId, contentType: 'image/jpeg', sha256: sha256(jpeg) });

    const list = await tenant.call('GET', documentsOf(organizationId));
    expect(list.status).toBe(200);
    expect(list.body.data.map((d: { documentId: string }) => d.documentId)).toEqual([second.body.documentId, first.body.documentId]);
    const one = await tenant.call('GET', `${documentsOf(organizationId)}/${first.body.documentId}`);
    expect(one).toMatchObject({ status: 200, body: first.body });
    expect((await download(h, tenant, organizationId, second.body.documentId)).bytes.equals(jpeg)).toBe(true);
  });

  it('stores a name that came with a path, a leading dot and characters file systems refuse as its last clean segment', async () => {
    const res = await upload(h, tenant, individualId, { bytes: jpegFile(), fileName: '../../etc/.pass*wd<x>|.jpg', fields: { type: 'SELFIE' } });
    expect(res.status).toBe(201);
    expect(res.body.fileName).toBe('passwdx.jpg');
  });
});

describe('refused uploads leave neither a row nor a file', () => {
  let before: { rows: number; files: number };
  beforeEach(async () => {
    before = { rows: await rowCount(), files: storedObjects().length };
  });
  afterEach(async () => {
    expect({ rows: await rowCount(), files: storedObjects().length }).toEqual(before);
  });

  it('accepts a file of exactly the limit but answers 413 PAYLOAD_TOO_LARGE one byte over it', async () => {
    const base = pdfFile(0);
    const atLimit = Buffer.concat([base, Buffer.alloc(MAX_BYTES - base.length, 0x20)]);
    const ok = await upload(h, tenant, individualId, { bytes: atLimit, contentType: 'application/pdf', fields: { type: 'OTHER' } });
    expect(ok.status).toBe(201);
    expect(ok.body.sizeBytes).toBe(MAX_BYTES);
    before = { rows: before.rows + 1, files: before.files + 1 };

    const over = await upload(h, tenant, individualId, { bytes: Buffer.concat([atLimit, Buffer.from(' ')]), contentType: 'application/pdf', fields: { type: 'OTHER' } });
    expect(over.status).toBe(413);
    expect(over.body).toEqual({ error: 'PAYLOAD_TOO_LARGE', message: `The document is larger than the limit of ${MAX_BYTES} bytes` });
  });

  it.each([
    ['a Windows executable', executableFile()],
    ['a ZIP archive', zipFile()],
    ['plain text', textFile()],
  ])('refuses %s sent as a PDF with 415 UNSUPPORTED_MEDIA_TYPE', async (_kind, bytes) => {
    const res = await upload(h, tenant, individualId, { bytes, fileName: 'statement.pdf', contentType: 'application/pdf', fields: { type: 'BANK_STATEMENT' } });
    expect(res.status).toBe(415);
    expect(res.body).toEqual({
      error: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'The file must be a PDF, JPEG, PNG or WebP document (judged from its content)',
      details: [{ field: 'file', message: 'Not an allowed file type' }],
    });
  });

  it('refuses an allowed file whose bytes contradict its declared type', async () => {
    const res = await upload(h, tenant, individualId, { bytes: pngFile(), fileName: 'scan.pdf', contentType: 'application/pdf', fields: { type: 'PASSPORT' } });
    expect(res.status).toBe(415);
    expect(res.body.message).toBe("The file's content is image/png but it was sent as application/pdf");
  });

  it.each([
    ['an unknown document type', { fields: { type: 'SELFIE_WITH_CAT' } }, 'type'],
    ['no document type', { fields: {} }, 'type'],
    ['an unknown field', { fields: { type: 'PASSPORT', comment: 'hi' } }, 'comment'],
    ['a malformed party id', { fields: { type: 'ID_CARD', partyId: 'pty_x' } }, 'partyId'],
    ['a party for an individual', { fields: { type: 'ID_CARD', partyId: 'pty_0123456789abcdef01234567' } }, 'partyId'],
  ])('answers 400 VALIDATION_ERROR for %s (after the file was stored: it is removed)', async (_case, part, field) => {
    const res = await upload(h, tenant, individualId, { bytes: pdfFile(5_000), contentType: 'application/pdf', ...part });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'VALIDATION_ERROR', details: [expect.objectContaining({ field })] });
  });

  it('answers 400 naming the file when there is none, or it is empty', async () => {
    const none = await upload(h, tenant, individualId, { fields: { type: 'PASSPORT' } });
    expect(none.status).toBe(400);
    expect(none.body.details).toEqual([{ field: 'file', message: 'Required' }]);
    const empty = await upload(h, tenant, individualId, { bytes: Buffer.alloc(0), fields: { type: 'PASSPORT' } });
    expect(empty.status).toBe(400);
    expect(empty.body.details).toEqual([{ field: 'file', message: 'The file is empty' }]);
  });

  it('answers 415 to a JSON body and 400 to a second file', async () => {
    const json = await tenant.call('POST', documentsOf(individualId), { type: 'PASSPORT', file: 'JVBERi0=' });
    expect(json.status).toBe(415);
    expect(json.body.error).toBe('UNSUPPORTED_MEDIA_TYPE');

    const form = new FormData();
    form.append('type', 'PASSPORT');
    form.append('file', new Blob([pdfFile()]), 'a.pdf');
    form.append('file', new Blob([pdfFile()]), 'b.pdf');
    const two = await fetch(`${h.api.url}${documentsOf(individualId)}`, { method: 'POST', headers: tenant.headers, body: form });
    expect(two.status).toBe(400);
  });
  it('answers 400 to a multipart body without a boundary, or one cut off in the middle of the file', async () => {
    const post = async (contentType: string, body: string) => {
      const response = await fetch(`${h.api.url}${documentsOf(individualId)}`, { method: 'POST', headers: { ...tenant.headers, 'content-type': contentType }, body });
      return { status: response.status, body: (await response.json()) as { details: unknown } };
    };
    const noBoundary = await post('multipart/form-data; charset=utf-8', 'whatever');
    expect(noBoundary.status).toBe(400);
    expect(noBoundary.body.details).toEqual([{ field: 'Content-Type', message: 'multipart/form-data needs a boundary' }]);

    const head = '--b\r\nContent-Disposition: form-data; name="type"\r\n\r\nPASSPORT\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n';
    const cut = await post('multipart/form-data; boundary=b', `${head}%PDF-1.4 ${'x'.repeat(50_000)}`);
    expect(cut.status).toBe(400);
    expect(cut.body.details).toEqual([{ field: 'body', message: 'Malformed multipart/form-data body' }]);
  });
});

describe('tenant isolation', () => {
  it("answers 404 for another tenant's customer and documents, and for a document under another customer", async () => {
    const { body: doc } = await upload(h, tenant, organizationId, { bytes: pdfFile(), fields: { type: 'CERTIFICATE_OF_INCORPORATION' } });
    const other = await createTenant(h, 'Other Bank');
    const before = await rowCount();

    expect((await upload(h, other, organizationId, { bytes: pdfFile(), fields: { type: 'OTHER' } })).status).toBe(404);
    expect((await other.call('GET', documentsOf(organizationId))).status).toBe(404);
    expect((await other.call('GET', `${documentsOf(organizationId)}/${doc.documentId}`)).status).toBe(404);
    expect((await download(h, other, organizationId, doc.documentId)).status).toBe(404);
    // The right tenant, but the document is not this customer's.
    expect((await tenant.call('GET', `${documentsOf(individualId)}/${doc.documentId}`)).status).toBe(404);
    expect((await download(h, tenant, individualId, doc.documentId)).status).toBe(404);
    expect(await rowCount()).toBe(before);
  });

  it('answers 400 for ids of the wrong shape', async () => {
    expect((await tenant.call('GET', '/api/v2.1/customer/tnt_0123456789abcdef01234567/documents')).body.details[0].field).toBe('customerId');
    expect((await tenant.call('GET', `${documentsOf(individualId)}/doc_123`)).body.details[0].field).toBe('documentId');
  });
});

describe('staff review', () => {
  it('records ACCEPTED, REJECTED and REUPLOAD_REQUESTED with the authenticated reviewer, and keeps every decision', async () => {
    const { body: doc } = await upload(h, tenant, individualId, { bytes: jpegFile(), fields: { type: 'PROOF_OF_ADDRESS' } });

    const accepted = await review(doc.documentId, { status: 'ACCEPTED' });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'ACCEPTED', reviewer: (await staffActorLabel(h)), reason: null, reviewedAt: expect.any(String) });

    const rejected = await review(doc.documentId, { status: 'REJECTED', reason: 'Address does not match the profile' });
    expect(rejected.body).toMatchObject({ status: 'REJECTED', reason: 'Address does not match the profile', reviewer: (await staffActorLabel(h)) });
    // The tenant sees the decision, not a rejection's reason (it may name a suspicion).
    expect((await tenant.call('GET', `${documentsOf(individualId)}/${doc.documentId}`)).body).toMatchObject({ status: 'REJECTED', reason: null });

    await review(doc.documentId, { status: 'REUPLOAD_REQUESTED', reason: 'The scan is cut off at the bottom' });
    expect((await tenant.call('GET', `${documentsOf(individualId)}/${doc.documentId}`)).body).toMatchObject({ status: 'REUPLOAD_REQUESTED', reason: 'The scan is cut off at the bottom' });

    const staff = await http(h.api.url, 'GET', `/api/v2.1/admin/documents/${doc.documentId}`, { headers: (await compliance()).headers });
    expect(staff.status).toBe(200);
    expect(staff.body.history.map((e: { status: string; actor: string; reason: string | null }) => [e.status, e.actor, e.reason])).toEqual([
      ['UPLOADED', `tenant:oauth:${tenant.clientId}`, null],
      ['ACCEPTED', (await staffActorLabel(h)), null],
      ['REJECTED', (await staffActorLabel(h)), 'Address does not match the profile'],
      ['REUPLOAD_REQUESTED', (await staffActorLabel(h)), 'The scan is cut off at the bottom'],
    ]);
  });

  it('requires a reason to reject or ask again, never takes the reviewer from the body, and is staff-only', async () => {
    const { body: doc } = await upload(h, tenant, individualId, { bytes: pdfFile(), fields: { type: 'PASSPORT' } });
    const noReason = await review(doc.documentId, { status: 'REJECTED' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.details).toEqual([{ field: 'reason', message: 'Required when the document is rejected or a new upload is requested' }]);
    expect((await review(doc.documentId, { status: 'ACCEPTED', reviewer: 'someone.else@bank.example' })).body.details).toEqual([{ field: 'reviewer', message: 'Unknown field' }]);
    expect((await review(doc.documentId, { status: 'UPLOADED' })).status).toBe(400);
    const asTenant = await http(h.api.url, 'PUT', `/api/v2.1/admin/documents/${doc.documentId}/status`, { body: { status: 'ACCEPTED' }, headers: tenant.headers });
    expect(asTenant.status).toBe(401);
    expect((await review('doc_0123456789abcdef01234567', { status: 'ACCEPTED' })).status).toBe(404);
    expect((await h.db('documents').where({ id: doc.documentId }).first()).status).toBe('UPLOADED');
  });
});

describe('documents KYB requires', () => {
  const settingsOf = async (tenantId: string, body: unknown) =>
    http(h.api.url, 'PUT', `/api/v2.1/admin/tenants/${tenantId}/settings`, { body, headers: await staffHeaders(h, 'PLATFORM_ADMIN') });

  it('validates kybRequiredDocuments against the document types', async () => {
    const unknown = await settingsOf(tenant.tenantId, { kybRequiredDocuments: ['CERTIFICATE_OF_INCORPORATION', 'HOROSCOPE'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details[0].field).toBe('kybRequiredDocuments.1');
    expect((await settingsOf(tenant.tenantId, { kybRequiredDocuments: ['PASSPORT', 'PASSPORT'] })).status).toBe(400);
  });

  it('counts a required type as provided while one is UPLOADED or ACCEPTED, and due again once rejected', async () => {
    const bank = await createTenant(h, 'KYB Bank');
    const org = await insertOrganization(h, bank.tenantId);
    const deps = { db: h.db, tenantSettings: createTenantSettingsService(h.db, { reminderAfterSeconds: 1, resendCooldownSeconds: 1 }) };
    const missing = () => missingRequiredDocuments(deps, bank.tenantId, org);

    expect(await missing()).toEqual(['CERTIFICATE_OF_INCORPORATION']);
    expect((await settingsOf(bank.tenantId, { kybRequiredDocuments: ['CERTIFICATE_OF_INCORPORATION', 'SHAREHOLDER_REGISTER'] })).status).toBe(200);
    const { body: certificate } = await upload(h, bank, org, { bytes: pdfFile(), fields: { type: 'CERTIFICATE_OF_INCORPORATION' } });
    expect(await missing()).toEqual(['SHAREHOLDER_REGISTER']);
    const { body: register } = await upload(h, bank, org, { bytes: pdfFile(), fields: { type: 'SHAREHOLDER_REGISTER' } });
    await review(register.documentId, { status: 'ACCEPTED' });
    expect(await missing()).toEqual([]);
    await review(certificate.documentId, { status: 'REJECTED', reason: 'Expired extract' });
    expect(await missing()).toEqual(['CERTIFICATE_OF_INCORPORATION']);
  });
});

describe('OpenAPI', () => {
  it('describes the upload as multipart/form-data and the content as bytes', async () => {
    const { body: doc } = await http(h.api.url, 'GET', '/openapi.json');
    const uploadOp = doc.paths['/api/v2.1/customer/{customerId}/documents'].post;
    expect(Object.keys(uploadOp.requestBody.content)).toEqual(['multipart/form-data']);
    expect(uploadOp.security).toEqual([{ bearer: [], tenant: [] }, { customerSession: [], tenant: [] }]);
    expect(Object.keys(uploadOp.responses)).toEqual(expect.arrayContaining(['201', '400', '404', '413', '415']));
    const content = doc.paths['/api/v2.1/customer/{customerId}/documents/{documentId}/content'].get;
    expect(content.responses['200'].content['application/octet-stream'].schema).toMatchObject({ type: 'string', format: 'binary' });
  });
});
