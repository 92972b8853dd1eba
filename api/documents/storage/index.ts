/** Builds the document store the configuration names (DOCUMENT_STORE). */
import { join } from 'node:path';
import type { Config } from '../../../common/config';
import { createLocalDocumentStore } from './local';
import type { DocumentStore } from './store';

export type { DocumentStore } from './store';
export { DocumentStoreError, storageKeyFor } from './store';

export async function documentStoreFor(config: Config): Promise<DocumentStore> {
  if (config.DOCUMENT_STORE === 'local') return createLocalDocumentStore(config.DOCUMENT_DIR ?? join(config.DATA_DIR, 'documents'));
  if (!config.DOCUMENT_S3_BUCKET) throw new Error('DOCUMENT_S3_BUCKET is required when DOCUMENT_STORE=s3');
  // Loaded only when configured: the SDK is large, and a local store never needs it.
  const { createS3DocumentStore } = await import('./s3');
  return createS3DocumentStore({
    bucket: config.DOCUMENT_S3_BUCKET,
    region: config.DOCUMENT_S3_REGION,
    endpoint: config.DOCUMENT_S3_ENDPOINT,
    forcePathStyle: config.DOCUMENT_S3_FORCE_PATH_STYLE === 'true',
    credentials:
      config.DOCUMENT_S3_ACCESS_KEY_ID && config.DOCUMENT_S3_SECRET_ACCESS_KEY
        ? { accessKeyId: config.DOCUMENT_S3_ACCESS_KEY_ID, secretAccessKey: config.DOCUMENT_S3_SECRET_ACCESS_KEY }
        : undefined,
    keyPrefix: config.DOCUMENT_S3_KEY_PREFIX,
  });
}
