/**
 * The compliance back office's API, wired: the review queue, claims, case pages, escalations and four-eyes
 * proposals (api/review/*). The web app under /backoffice calls these routes and the other documented admin routes.
 */
import type { Client } from '@temporalio/client';
import type { Knex } from '../../common/db';
import type { Mount } from '../http/route';
import { createReviewClaims } from './claims';
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
}

export function createReview({ db, settings }: ReviewDeps) {
  const claims = createReviewClaims(db, { claimMinutes: settings.claimMinutes });
  const proposals = createReviewProposals(db);
  const queue = createReviewQueue(db, claims, proposals);
  return {
    claims,
    proposals,
    queue,
    mountRoutes(mount: Mount): void {
      // The queue, claim, case and escalation routes are mounted here as they land.
      mountQueueRoutes(mount, queue, claims);
    },
  };
}

export type Review = ReturnType<typeof createReview>;
