/** The configuration's rules across variables (common/config.ts parses each variable alone). */
import type { Config } from './config';

/** Rules across variables, each message naming the variable to fix. */
export function configProblems(config: Config): string[] {
  const problems: string[] = [];
  if (config.TEMPORAL_TLS_CERT_PATH && !config.TEMPORAL_TLS_KEY_PATH) problems.push('TEMPORAL_TLS_KEY_PATH: required with TEMPORAL_TLS_CERT_PATH (mTLS needs both)');
  if (config.TEMPORAL_TLS_KEY_PATH && !config.TEMPORAL_TLS_CERT_PATH) problems.push('TEMPORAL_TLS_CERT_PATH: required with TEMPORAL_TLS_KEY_PATH (mTLS needs both)');
  const tlsMaterial = config.TEMPORAL_TLS_CA_PATH || config.TEMPORAL_TLS_CERT_PATH || config.TEMPORAL_TLS_SERVER_NAME;
  if (config.TEMPORAL_TLS === 'false' && tlsMaterial) problems.push('TEMPORAL_TLS: is false but TLS files or a server name are set');
  if (config.HTTP_HEADERS_TIMEOUT_MS > config.HTTP_REQUEST_TIMEOUT_MS) problems.push('HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS');
  if (config.WORKER_SHUTDOWN_GRACE_MS >= config.SHUTDOWN_TIMEOUT_MS) problems.push('WORKER_SHUTDOWN_GRACE_MS: must be shorter than SHUTDOWN_TIMEOUT_MS');
  const workflowTasks = config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS;
  if (workflowTasks !== undefined && config.WORKER_MAX_CACHED_WORKFLOWS > 0 && workflowTasks > config.WORKER_MAX_CACHED_WORKFLOWS) {
    problems.push('WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: must not exceed WORKER_MAX_CACHED_WORKFLOWS (a running task holds its workflow in the cache)');
  }
  if (config.SHUTDOWN_DRAIN_DELAY_MS >= config.SHUTDOWN_TIMEOUT_MS) problems.push('SHUTDOWN_DRAIN_DELAY_MS: must be shorter than SHUTDOWN_TIMEOUT_MS');
  if (config.CODEC_AUTH === 'oidc' && !config.CODEC_OIDC_ISSUER) problems.push('CODEC_OIDC_ISSUER: required when CODEC_AUTH=oidc');
  if (config.CODEC_AUTH === 'oidc' && !config.CODEC_OIDC_AUDIENCE) problems.push('CODEC_OIDC_AUDIENCE: required when CODEC_AUTH=oidc');
  if (config.CODEC_OIDC_REQUIRED_CLAIM && !config.CODEC_OIDC_REQUIRED_VALUE) problems.push('CODEC_OIDC_REQUIRED_VALUE: required with CODEC_OIDC_REQUIRED_CLAIM');
  if (config.CODEC_OIDC_REQUIRED_VALUE && !config.CODEC_OIDC_REQUIRED_CLAIM) problems.push('CODEC_OIDC_REQUIRED_CLAIM: required with CODEC_OIDC_REQUIRED_VALUE');
  if (config.STAFF_AUTH === 'oidc' && !config.STAFF_OIDC_ISSUER) problems.push('STAFF_OIDC_ISSUER: required when STAFF_AUTH=oidc');
  if (config.STAFF_AUTH === 'oidc' && !config.STAFF_OIDC_AUDIENCE) problems.push('STAFF_OIDC_AUDIENCE: required when STAFF_AUTH=oidc');
  if (config.STAFF_LOCKOUT_MAX_SECONDS < config.STAFF_LOCKOUT_SECONDS) problems.push('STAFF_LOCKOUT_MAX_SECONDS: must not be shorter than STAFF_LOCKOUT_SECONDS');
  if (config.PLATFORM_ADMIN_TOKEN_ENABLED === 'false' && (config.CODEC_AUTH ?? (config.NODE_ENV === 'production' ? 'admin-token' : 'none')) === 'admin-token') {
    problems.push('CODEC_AUTH: admin-token needs the platform token; set oidc (or none) when PLATFORM_ADMIN_TOKEN_ENABLED=false');
  }
  if (config.DOCUMENT_STORE === 's3' && !config.DOCUMENT_S3_BUCKET) problems.push('DOCUMENT_S3_BUCKET: required when DOCUMENT_STORE=s3');
  if (Boolean(config.DOCUMENT_S3_ACCESS_KEY_ID) !== Boolean(config.DOCUMENT_S3_SECRET_ACCESS_KEY)) {
    problems.push('DOCUMENT_S3_SECRET_ACCESS_KEY: set it and DOCUMENT_S3_ACCESS_KEY_ID together, or neither');
  }
  if (config.WEBHOOK_RETRY_INITIAL_MS > config.WEBHOOK_RETRY_MAX_INTERVAL_MS) {
    problems.push('WEBHOOK_RETRY_INITIAL_MS: must not exceed WEBHOOK_RETRY_MAX_INTERVAL_MS');
  }
  if (config.NODE_ENV === 'production' && config.WEBHOOK_ALLOW_PRIVATE_URLS === 'true') {
    problems.push('WEBHOOK_ALLOW_PRIVATE_URLS: must be false when NODE_ENV=production (it opens internal addresses to tenants)');
  }
  return problems;
}
