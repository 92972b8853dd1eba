/**
 * The compliance back office's API, wired: the review queue, claims, case pages, escalations and four-eyes
 * proposals (api/review/*). The web app under /backoffice calls these routes and the other documented admin routes.
 */
import type { Client } from '@temporalio/client';
import type { Knex } from '../../common/db';
import type { Mount } from '../http/route';
import { mountCaseRoutes } from './case-routes';
import { createCaseView, type CaseSources } from './case-view';
import { createReviewClaims } from './claims';
import { createEscalations } from './escalations';
import { mountEscalationRoutes } from './escalation-routes';
import { createReviewProposals } from './proposals';
import { createReviewQueue } from './queue';
import { mountQueueRoutes } from './queue-routes';

export interface ReviewSettings {
  /** How long a claim holds (REVIEW_CLAIM_MINUTES). */
  claimMinutes: number;
  /** The Temporal Web UI's base URL, for each case's workflow link (TEMPORAL_UI_URL). */
  temporalUiUrl: string;
  namespace: string;
}

export interface ReviewDeps {
  db: Knex;
  temporal: Client;
  settings: ReviewSettings;
  /** The owning modules the case page reads through. */
  cases: CaseSources;
}

export function createReview({ db, settings, cases }: ReviewDeps) {
  const claims = createReviewClaims(db, { claimMinutes: settings.claimMinutes });
  const proposals = createReviewProposals(db);
  const queue = createReviewQueue(db, claims, proposals);
  const caseView = createCaseView({ db, sources: cases, claims, proposals, settings });
  return {
    claims,
    proposals,
    queue,
    mountRoutes(mount: Mount): void {
      // The queue, claim, case and escalation routes are mounted here as they land.
      mountQueueRoutes(mount, queue, claims);
      mountCaseRoutes(mount, caseView);
      mountEscalationRoutes(mount, createEscalations({ db, claims, proposals }));
    },
  };
}

export type Review = ReturnType<typeof createReview>;
