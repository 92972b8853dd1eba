/**
 * What a file is, judged from its first bytes (its signature), never from the name or the Content-Type it came
 * with; and the name it is stored under. Only the allow-listed formats are recognised: anything else (an
 * executable, an archive, text, HTML, SVG) is simply "not allowed", whatever it claims to be.
 */
import { DOCUMENT_CONTENT_TYPES, type DocumentContentType } from '../../common/documents';

/** Enough bytes to tell every allowed format apart (WebP's signature ends at byte 12). */
export const SIGNATURE_BYTES = 16;

const SIGNATURES: ReadonlyArray<{ type: DocumentContentType; matches: (head: Buffer) => boolean }> = [
  { type: 'application/pdf', matches: (head) => startsWith(head, 0, '%PDF-') },
  { type: 'image/png', matches: (head) => head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/jpeg', matches: (head) => head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff },
  { type: 'image/webp', matches: (head) => startsWith(head, 0, 'RIFF') && startsWith(head, 8, 'WEBP') },
];

export function detectContentType(head: Buffer): DocumentContentType | undefined {
  return SIGNATURES.find(({ matches }) => matches(head))?.type;
}

export const ALLOWED_FORMATS = 'PDF, JPEG, PNG or WebP';

/** Types that say "some bytes", which every client may send for a file it cannot name; nothing to contradict. */
const UNDECLARED = new Set(['application/octet-stream', 'binary/octet-stream']);
const ALIASES: Record<string, string> = { 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg', 'application/x-pdf': 'application/pdf' };

/** The type the client declared for the file part, when it declared a specific one. */
export function declaredContentType(mimeType: string | undefined): string | undefined {
  const type = (mimeType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === '' || UNDECLARED.has(type)) return undefined;
  return ALIASES[type] ?? type;
}

export function isAllowedContentType(type: string): type is DocumentContentType {
  return (DOCUMENT_CONTENT_TYPES as readonly string[]).includes(type);
}

const EXTENSIONS: Record<DocumentContentType, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/**
 * The file name as stored and offered back: its last path segment, NFC, without control characters, quotes,
 * slashes or characters file systems refuse, without leading dots, at most 200 characters. Nothing left: a
 * generic name with the detected type's extension.
 */
export function sanitizeFileName(raw: string | undefined, type: DocumentContentType): string {
  const lastSegment = (raw ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = lastSegment
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}"*:<>?|]/gu, '')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+/, '')
    .trim();
  const name = [...cleaned].slice(0, 200).join('');
  return name === '' ? `document.${EXTENSIONS[type]}` : name;
}

/** RFC 6266: an ASCII fallback name and the exact UTF-8 one. */
export function attachmentDisposition(fileName: string): string {
  return contentDisposition('attachment', fileName);
}

export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/[\\"%]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

function startsWith(head: Buffer, offset: number, ascii: string): boolean {
  return head.length >= offset + ascii.length && head.toString('latin1', offset, offset + ascii.length) === ascii;
}
