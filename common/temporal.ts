import { readFileSync } from 'node:fs';
import { Client, Connection, type ClientInterceptors } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { ConfigError, type Config } from './config';
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

/** TLS and API key, in the shape both the client's Connection and the worker's NativeConnection take. */
export interface TemporalSecurity {
  tls?: {
    serverNameOverride?: string;
    serverRootCACertificate?: Buffer;
    clientCertPair?: { crt: Buffer; key: Buffer };
  };
  apiKey?: string;
}

type SecurityConfig = Pick<
  Config,
  'TEMPORAL_TLS' | 'TEMPORAL_TLS_CA_PATH' | 'TEMPORAL_TLS_CERT_PATH' | 'TEMPORAL_TLS_KEY_PATH' | 'TEMPORAL_TLS_SERVER_NAME' | 'TEMPORAL_API_KEY'
>;

/**
 * Builds the connection's TLS/mTLS and API key settings from configuration. TLS is on when asked for or when any
 * TLS material or an API key is given (Temporal Cloud refuses API keys in clear text); files are read here, once.
 */
export function temporalSecurity(config: SecurityConfig, readFile: (path: string) => Buffer = readFileSync): TemporalSecurity {
  const read = (variable: keyof SecurityConfig, path: string | undefined) => {
    if (path === undefined) return undefined;
    try {
      return readFile(path);
    } catch (error) {
      throw new ConfigError(`Invalid configuration:\n  ${variable}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  };
  const wantsTls =
    config.TEMPORAL_TLS === 'true' ||
    (config.TEMPORAL_TLS === undefined &&
      Boolean(config.TEMPORAL_TLS_CA_PATH || config.TEMPORAL_TLS_CERT_PATH || config.TEMPORAL_TLS_SERVER_NAME || config.TEMPORAL_API_KEY));
  const security: TemporalSecurity = {};
  if (wantsTls) {
    const crt = read('TEMPORAL_TLS_CERT_PATH', config.TEMPORAL_TLS_CERT_PATH);
    const key = read('TEMPORAL_TLS_KEY_PATH', config.TEMPORAL_TLS_KEY_PATH);
    const ca = read('TEMPORAL_TLS_CA_PATH', config.TEMPORAL_TLS_CA_PATH);
    security.tls = {
      ...(config.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME } : {}),
      ...(ca ? { serverRootCACertificate: ca } : {}),
      ...(crt && key ? { clientCertPair: { crt, key } } : {}),
    };
  }
  if (config.TEMPORAL_API_KEY) security.apiKey = config.TEMPORAL_API_KEY;
  return security;
}

export async function connectClient(
  address: string,
  namespace: string,
  dataConverter: DataConverter,
  security: TemporalSecurity = {},
  /** Tracing's interceptors (common/tracing.ts), when it is on. */
  interceptors?: ClientInterceptors,
): Promise<Client> {
  const connection = await Connection.connect({ address, ...security });
  return new Client({ connection, namespace, dataConverter, ...(interceptors ? { interceptors } : {}) });
}
