import { attachmentDisposition, declaredContentType, detectContentType, sanitizeFileName } from '../../api/documents/content';

describe('detecting a document type from its bytes', () => {
  it.each([
    ['application/pdf', Buffer.from('%PDF-1.7\n%âãÏÓ')],
    ['image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
    ['image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0, 0])],
    ['image/webp', Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1')],
  ])('recognises %s', (type, head) => {
    expect(detectContentType(head)).toBe(type);
  });

  it.each([
    ['an executable', Buffer.from('MZ\x90\x00', 'latin1')],
    ['a ZIP archive (and so DOCX)', Buffer.from([0x50, 0x4b, 0x03, 0x04])],
    ['HTML', Buffer.from('<!doctype html><script>')],
    ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg">')],
    ['a WAV file (RIFF but not WebP)', Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1')],
    ['a PDF signature too short to be one', Buffer.from('%PDF')],
    ['a PNG signature cut short', Buffer.from([0x89, 0x50, 0x4e, 0x47])],
    ['nothing', Buffer.alloc(0)],
  ])('does not allow %s', (_kind, head) => {
    expect(detectContentType(head)).toBeUndefined();
  });

  it('reads a declared type without its parameters, treats octet-stream as undeclared and knows the common aliases', () => {
    expect(declaredContentType('Application/PDF; name=x')).toBe('application/pdf');
    expect(declaredContentType('application/octet-stream')).toBeUndefined();
    expect(declaredContentType('image/jpg')).toBe('image/jpeg');
    expect(declaredContentType('text/plain')).toBe('text/plain');
  });
});

describe('file names', () => {
  it.each([
    ['C:\\Users\\ada\\passport.pdf', 'passport.pdf'],
    ['../../.env', 'env'],
    ['a\u0000b\u202Ecdf.pdf', 'abcdf.pdf'],
    ['  spaced   out  .pdf ', 'spaced out .pdf'],
    ['...', 'document.pdf'],
    [undefined, 'document.pdf'],
  ])('stores %p as %p', (raw, stored) => {
    expect(sanitizeFileName(raw, 'application/pdf')).toBe(stored);
  });

  it('keeps at most 200 characters', () => {
    expect([...sanitizeFileName(`${'é'.repeat(300)}.pdf`, 'application/pdf')]).toHaveLength(200);
  });

  it('offers an ASCII name and the exact UTF-8 one for download (RFC 6266)', () => {
    expect(attachmentDisposition("Ünïcode 'name' (1).pdf")).toBe(`attachment; filename="_n_code 'name' (1).pdf"; filename*=UTF-8''%C3%9Cn%C3%AFcode%20%27name%27%20%281%29.pdf`);
  });
});
