/**
 * The process's Prometheus registry (prom-client). Whatever a process records (HTTP requests in the API, provider
 * calls and status changes in the worker's activities) goes here, with Node's process metrics, and its /metrics
 * serves it: `npm start` runs both roles in one process, so one endpoint shows both. A registry of its own rather
 * than prom-client's global one, so a library that registers metrics cannot add to or clash with ours.
 *
 * Labels are bounded by construction: route templates, methods, status classes, statuses, provider names. Never
 * a raw path, an id, a tenant or anything a person typed: one series per value would both leak and explode.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

/** Buckets for calls that take milliseconds to tens of seconds (HTTP requests, provider calls). */
export const CALL_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
