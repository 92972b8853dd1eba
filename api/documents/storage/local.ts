/**
 * The embedded document store: one file per document under a directory (DOCUMENT_DIR, by default
 * DATA_DIR/documents). A write goes to a temporary file that is renamed into place once every byte is on disk,
 * so a failed or refused upload never leaves a file under a document's key.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertSafeKey, DocumentStoreError, type DocumentStore } from './store';

export async function createLocalDocumentStore(directory: string): Promise<DocumentStore> {
  const root = resolve(directory);
  await mkdir(root, { recursive: true, mode: 0o700 });

  /** The key's path, checked twice: by its shape, and by where it resolves (it must stay under the root). */
  function pathOf(key: string): string {
    assertSafeKey(key);
    const path = resolve(root, key);
    if (!path.startsWith(root + sep)) throw new DocumentStoreError('Refused', 'Document store local: refused a key outside its directory');
    return path;
  }

  return {
    kind: 'local',
    async put(key, bytes: Readable) {
      const path = pathOf(key);
      const partial = `${path}.${randomBytes(6).toString('hex')}.partial`;
      let file: FileHandle | undefined;
      try {
        await mkdir(dirname(path), { recursive: true, mode: 0o700 });
        // Opened before any byte flows, so a failure can never race the file's creation and leave it behind.
        // wx: never overwrite; 0600: the bytes are personal data, readable by the service's user only.
        file = await open(partial, 'wx', 0o600);
        await pipeline(bytes, file.createWriteStream());
        await rename(partial, path);
      } catch (error) {
        await file?.close().catch(() => undefined);
        await rm(partial, { force: true });
        throw fileSystemFailure('put', error);
      }
    },
    async get(key) {
      const path = pathOf(key);
      try {
        await stat(path);
      } catch (error) {
        throw fileSystemFailure('get', error);
      }
      return createReadStream(path);
    },
    async delete(key) {
      try {
        await rm(pathOf(key), { force: true });
      } catch (error) {
        throw fileSystemFailure('delete', error);
      }
    },
  };
}

/** File-system errors become stable store errors (their messages quote paths); the source stream's pass through. */
function fileSystemFailure(operation: string, error: unknown): unknown {
  const code = (error as { code?: unknown; syscall?: unknown })?.syscall ? (error as { code?: string }).code : undefined;
  if (code === undefined) return error;
  if (code === 'ENOENT' && operation === 'get') return new DocumentStoreError('NotFound', 'Document store local: no such document');
  return new DocumentStoreError('Unavailable', `Document store local: ${operation} failed (${code})`);
}
