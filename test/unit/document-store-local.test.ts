import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createLocalDocumentStore } from '../../api/documents/storage/local';
import { DocumentStoreError, storageKeyFor, type DocumentStore } from '../../api/documents/storage/store';

let root: string;
let store: DocumentStore;
beforeEach(async () => {
  root = join(mkdtempSync(join(tmpdir(), 'document-store-')), 'documents');
  store = await createLocalDocumentStore(root); // creates the directory it is given
});
afterEach(() => rmSync(join(root, '..'), { recursive: true, force: true }));

const key = storageKeyFor('tnt_0123456789abcdef01234567', 'doc_0123456789abcdef01234567');
const read = async (stream: Readable) => Buffer.concat(await stream.toArray());

describe('the local document store', () => {
  it('writes, reads and deletes a document under its key', async () => {
    await store.put(key, Readable.from([Buffer.from('%PDF-1.4 '), Buffer.from('rest')]), 'application/pdf');
    expect(existsSync(join(root, key))).toBe(true);
    expect((await read(await store.get(key))).toString()).toBe('%PDF-1.4 rest');
    await store.delete(key);
    await expect(store.get(key)).rejects.toMatchObject({ reason: 'NotFound', message: 'Document store local: no such document' });
    await store.delete(key);
  });

  it('leaves no file, not even a partial one, when the bytes fail midway', async () => {
    const refused = new Error('over the limit');
    async function* failing() {
      yield Buffer.from('%PDF-1.4 first part');
      throw refused;
    }
    await expect(store.put(key, Readable.from(failing()), 'application/pdf')).rejects.toBe(refused);
    expect(readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())).toEqual([]);
  });

  it('leaves no file when the bytes failed before the store began reading them (the upload limit hit at once)', async () => {
    const limit = new Transform({ transform: (_chunk, _encoding, callback) => callback(new Error('over the limit')) });
    const outcomes = await Promise.allSettled([
      pipeline(Readable.from([Buffer.alloc(4096)]), limit),
      store.put(key, limit, 'application/pdf'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())).toEqual([]);
  });

  it.each(['../outside', '/etc/passwd', 'tnt_x/../../outside', 'a/./b', 'a//b', 'name with space', 'a\\b', ''])('refuses the key %p before touching the disk', async (bad) => {
    const error = await store.put(bad, Readable.from([Buffer.from('x')]), 'application/pdf').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DocumentStoreError);
    expect(error).toMatchObject({ reason: 'Refused' });
    await expect(store.get(bad)).rejects.toMatchObject({ reason: 'Refused' });
    await expect(store.delete(bad)).rejects.toMatchObject({ reason: 'Refused' });
  });

  it('names no path in its errors', async () => {
    symlinkSync('/nonexistent-target', join(root, 'tnt_0123456789abcdef01234567'));
    const error = (await store.put(key, Readable.from([Buffer.from('x')]), 'application/pdf').catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ reason: 'Unavailable', message: expect.stringMatching(/^Document store local: put failed \([A-Z]+\)$/) });
  });
});
