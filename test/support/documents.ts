/** Document uploads as a tenant's backend sends them (multipart with fetch's FormData), and files to send. */
import { createHash, randomBytes } from 'node:crypto';
import { deflateSync, crc32 } from 'node:zlib';
import type { Harness } from './harness';
import type { HttpResult, TenantSession } from './tenant-client';

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A PDF that readers open: one empty page, plus `padding` random bytes in a stream to make it as large as needed. */
export function pdfFile(padding = 0): Buffer {
  const filler = randomBytes(padding);
  return Buffer.concat([
    Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n'),
    Buffer.from('3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj\n'),
    Buffer.from(`4 0 obj << /Length ${filler.length} >> stream\n`),
    filler,
    Buffer.from('\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
  ]);
}

/** A real PNG image (width × height, random RGB pixels). */
export function pngFile(width = 8, height = 8): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const rows = Array.from({ length: height }, () => Buffer.concat([Buffer.from([0]), randomBytes(width * 3)]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 1×1 greyscale baseline JPEG. */
export const jpegFile = (): Buffer =>
  Buffer.from(
    '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
    'base64',
  );

/** What an attacker dresses up as a PDF: a Windows executable, a ZIP archive, plain text. */
export const executableFile = () => Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), randomBytes(200)]);
export const zipFile = () => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(200)]);
export const textFile = () => Buffer.from('%PDF? no: just text pretending to be a document\n');

export interface UploadPart {
  bytes?: Buffer;
  fileName?: string;
  contentType?: string;
  fields?: Record<string, string>;
}

export async function upload(h: Harness, tenant: TenantSession, customerId: string, part: UploadPart): Promise<HttpResult> {
  const form = new FormData();
  for (const [name, value] of Object.entries(part.fields ?? {})) form.append(name, value);
  if (part.bytes) form.append('file', new Blob([part.bytes], { type: part.contentType ?? 'application/octet-stream' }), part.fileName ?? 'document');
  const response = await fetch(`${h.api.url}/api/v2.1/customer/${customerId}/documents`, { method: 'POST', headers: tenant.headers, body: form });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : text, headers: response.headers };
}

export async function download(h: Harness, tenant: TenantSession, customerId: string, documentId: string) {
  const response = await fetch(`${h.api.url}/api/v2.1/customer/${customerId}/documents/${documentId}/content`, { headers: tenant.headers });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

export { newOrganizationId as insertOrganization } from './organizations';
