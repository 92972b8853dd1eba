/**
 * Temporal remote codec endpoint: the Web UI posts encrypted payloads here and shows what comes back, so
 * compliance staff can read an onboarding's data while the Temporal server only ever stores ciphertext.
 * In production the caller must present the platform admin token, or (CODEC_AUTH=oidc) the staff access token the
 * UI forwards from its own OIDC login. Payloads, decoded or not, never go to the log: only who asked and how many.
 * Decode only: reading histories is all the UI needs here, and an /encode endpoint would let any caller holding
 * the token mint payloads the workers trust (the UI's start/signal actions are not part of this product).
 */
import type { PayloadCodec } from '@temporalio/common';
import type { Request, RequestHandler, Router } from 'express';
import type { Logger } from '../../common/logger';
import { ValidationError } from '../http/errors';

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const fromJson = (p: JsonPayload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});

const toJson = (p: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null }): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

function payloadsOf(req: Request): JsonPayload[] {
  const payloads = (req.body as { payloads?: unknown })?.payloads;
  if (!Array.isArray(payloads)) throw new ValidationError([{ field: 'payloads', message: 'Required array' }]);
  return payloads as JsonPayload[];
}

export function mountCodecRoutes(router: Router, codec: PayloadCodec, allowedOrigin: string, guard: RequestHandler[], logger: Logger) {
  router.use('/codec', (req, res, next) => {
    res.set({
      'Access-Control-Allow-Origin': allowedOrigin,
      'Access-Control-Allow-Methods': 'POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Content-Type, X-Namespace, Authorization',
      'Access-Control-Allow-Credentials': 'true',
      Vary: 'Origin',
    });
    if (req.method === 'OPTIONS') {
      res.sendStatus(204);
      return;
    }
    next();
  });
  router.post('/codec/decode', ...guard, async (req, res) => {
    const decoded = await codec.decode(payloadsOf(req).map(fromJson));
    const namespace = req.get('x-namespace')?.slice(0, 255);
    logger.info({ decodedBy: req.staffSubject ?? req.credentialId ?? 'anonymous', namespace, payloadCount: decoded.length }, 'codec decode');
    res.json({ payloads: decoded.map(toJson) });
  });
}
