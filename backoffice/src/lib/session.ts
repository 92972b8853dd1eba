/** The signed-in staff member, as every page reads it, and what the roles allow (mirrors the API's route roles). */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { StaffRole, StaffSession } from '../api/types';

export interface SessionContext {
  session: StaffSession;
  /** Puts a message in the page's role="status" region (screen readers announce it). */
  announce: (message: string) => void;
}

export const Session = createContext<SessionContext | null>(null);

export function useSession(): SessionContext {
  const context = useContext(Session);
  if (!context) throw new Error('useSession outside a signed-in page');
  return context;
}

const holds = (roles: readonly StaffRole[], allowed: readonly StaffRole[]) => roles.some((role) => allowed.includes(role));

export const may = {
  /** The queue and case pages: GET review-queue and cases. */
  readCases: (roles: readonly StaffRole[]) => holds(roles, ['COMPLIANCE_OFFICER', 'OPERATOR', 'AUDITOR']),
  /** Claims, decisions, escalation and four-eyes confirmations. */
  decide: (roles: readonly StaffRole[]) => holds(roles, ['COMPLIANCE_OFFICER']),
  /** A document's bytes (the inline content route); an operator sees the list without them. */
  viewDocuments: (roles: readonly StaffRole[]) => holds(roles, ['COMPLIANCE_OFFICER', 'AUDITOR']),
  /** Stuck and failed onboardings, retries and resets. */
  operate: (roles: readonly StaffRole[]) => holds(roles, ['OPERATOR', 'PLATFORM_ADMIN']),
};
