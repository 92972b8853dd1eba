/**
 * A sandbox's checks and the callbacks it still owes, kept in memory and, when given a state file, written
 * through to it on every change (a temporary file renamed over the old one, so a crash leaves either state
 * whole). A sandbox started on the same file takes up where the last one stopped, as a real vendor would.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Outcome, SandboxStatus } from './outcomes';

export interface Check {
  checkId: string;
  reference: string;
  fingerprint: string;
  status: SandboxStatus;
  reason?: string;
  /** What the check will be decided as, and when (epoch ms); absent once decided or when it never will be. */
  pending?: { decision: NonNullable<Outcome['decision']>; reason?: string; at: number };
  /** The callback still owed: where, when it is due (epoch ms), and its webhook-id, kept across restarts. */
  callback?: { url: string; dueAt: number; messageId: string };
}

interface StoredState {
  checks: Check[];
  refusedSubmits: Array<[string, number]>;
}

export class CheckStore {
  readonly checks = new Map<string, Check>();
  readonly checkIdByReference = new Map<string, string>();
  /** Flaky requests refused so far, per reference (or other key, e.g. a registry lookup's). */
  readonly refusedSubmits = new Map<string, number>();

  constructor(private readonly stateFile?: string) {
    if (!stateFile || !existsSync(stateFile)) return;
    const stored = JSON.parse(readFileSync(stateFile, 'utf8')) as StoredState;
    for (const check of stored.checks) this.add(check);
    for (const [reference, refused] of stored.refusedSubmits) this.refusedSubmits.set(reference, refused);
  }

  add(check: Check): void {
    this.checks.set(check.checkId, check);
    this.checkIdByReference.set(check.reference, check.checkId);
  }

  byReference(reference: string): Check | undefined {
    return this.checks.get(this.checkIdByReference.get(reference) ?? '');
  }

  /** Call after every change to a check or to the refused submits. */
  save(): void {
    if (!this.stateFile) return;
    const state: StoredState = { checks: [...this.checks.values()], refusedSubmits: [...this.refusedSubmits] };
    mkdirSync(dirname(this.stateFile), { recursive: true });
    const temporary = `${this.stateFile}.tmp`;
    writeFileSync(temporary, JSON.stringify(state));
    renameSync(temporary, this.stateFile);
  }
}
