/** Looks inside a workflow history the way someone with access to the Temporal server could. */
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';

function collectPayloads(node: unknown, found: Payload[], seen = new Set<unknown>()): Payload[] {
  if (!node || typeof node !== 'object' || seen.has(node) || ArrayBuffer.isView(node)) return found;
  seen.add(node);
  const record = node as Record<string, unknown>;
  if (record.data instanceof Uint8Array && record.metadata && typeof record.metadata === 'object') {
    found.push(record as Payload);
    return found;
  }
  for (const child of Array.isArray(node) ? node : Object.values(record)) collectPayloads(child, found, seen);
  return found;
}

/** Every payload's bytes as text: as stored, or decoded through `codec` when one is given. */
export async function payloadTexts(history: History, codec?: PayloadCodec): Promise<string[]> {
  const payloads = collectPayloads(history, []);
  if (payloads.length === 0) throw new Error('history holds no payloads: the walk found nothing to inspect');
  const visible = codec ? await codec.decode(payloads) : payloads;
  return visible.map((payload) => Buffer.from(payload.data ?? []).toString('utf8'));
}
