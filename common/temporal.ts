import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from './payload-codec';
import { payloadKeyring, type Secrets } from './secrets';

export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';

export function payloadCodecFor(secrets: Secrets): EncryptionCodec {
  return new EncryptionCodec(secrets.payloadKeyId, payloadKeyring(secrets));
}

/** Encodes failure messages and stack traces too (see ./failure-converter); the workflow bundle needs the same path. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

export function dataConverterFor(secrets: Secrets): DataConverter {
  return { payloadCodecs: [payloadCodecFor(secrets)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

export async function connectClient(address: string, namespace: string, dataConverter: DataConverter): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace, dataConverter });
}
