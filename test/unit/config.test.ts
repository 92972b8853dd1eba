import { parseConfig } from '../../common/config';

describe('configuration', () => {
  it('applies documented defaults to an empty environment', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'customer-onboarding',
      TEMPORAL_UI_PORT: 8233,
      EMAIL_CODE_TTL_MINUTES: 60,
      PASSWORD_HASH_MEMORY_KIB: 19456,
      PASSWORD_HASH_ITERATIONS: 2,
      DOCUMENT_STORE: 'local',
      DOCUMENT_MAX_BYTES: 10 * 1024 * 1024,
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('treats empty variables as unset', () => {
    expect(parseConfig({ DATABASE_URL: '', TEMPORAL_ADDRESS: ' ' }).DATABASE_URL).toBeUndefined();
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://localhost/db' }],
    ['SMTP_URL', { SMTP_URL: 'http://mail' }],
    ['JWT_SECRET', { JWT_SECRET: 'short' }],
    ['PAYLOAD_ENCRYPTION_KEY', { PAYLOAD_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') }],
    ['PAYLOAD_ENCRYPTION_KEYS', { PAYLOAD_ENCRYPTION_KEYS: `k2:${Buffer.alloc(16).toString('base64')}` }],
    ['PAYLOAD_ENCRYPTION_KEYS', { PAYLOAD_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32).toString('base64')},k1:${Buffer.alloc(32, 1).toString('base64')}` }],
    ['PAYLOAD_ENCRYPTION_KEYS', { PAYLOAD_ENCRYPTION_KEYS: Buffer.alloc(32).toString('base64') }],
    ['CODE_HMAC_KEY', { CODE_HMAC_KEY: 'short' }],
    ['NODE_ENV', { NODE_ENV: 'staging' }],
    ['DOCUMENT_STORE', { DOCUMENT_STORE: 'ftp' }],
    ['DOCUMENT_MAX_BYTES', { DOCUMENT_MAX_BYTES: '10MB' }],
    ['DOCUMENT_S3_ENDPOINT', { DOCUMENT_S3_ENDPOINT: 'minio:9000' }],
    ['DOCUMENT_S3_KEY_PREFIX', { DOCUMENT_S3_KEY_PREFIX: '../up/' }],
    ['DOCUMENT_S3_BUCKET', { DOCUMENT_STORE: 's3' }],
    ['DOCUMENT_S3_SECRET_ACCESS_KEY', { DOCUMENT_STORE: 's3', DOCUMENT_S3_BUCKET: 'docs', DOCUMENT_S3_ACCESS_KEY_ID: 'AKIA' }],
    ['STAFF_OIDC_ISSUER', { STAFF_AUTH: 'oidc', STAFF_OIDC_AUDIENCE: 'onboarding-staff' }],
    ['STAFF_OIDC_AUDIENCE', { STAFF_AUTH: 'oidc', STAFF_OIDC_ISSUER: 'https://idp.example.com' }],
    ['STAFF_LOCKOUT_MAX_SECONDS', { STAFF_LOCKOUT_SECONDS: '120', STAFF_LOCKOUT_MAX_SECONDS: '60' }],
    ['CODEC_AUTH', { PLATFORM_ADMIN_TOKEN_ENABLED: 'false', CODEC_AUTH: 'admin-token' }],
  ])('stops on a bad %s with a message naming it', (name, env) => {
    expect(() => parseConfig(env)).toThrow(new RegExp(`^Invalid configuration:\\n  ${name}: `));
  });

  it('refuses a production start without its secrets and external services', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/PLATFORM_ADMIN_TOKEN: required when NODE_ENV=production/);
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: required/);
    const complete = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u:p@db:5432/app',
      TEMPORAL_ADDRESS: 'temporal:7233',
      SMTP_URL: 'smtp://mail:25',
      PLATFORM_ADMIN_TOKEN: 'x'.repeat(32),
      JWT_SECRET: 'y'.repeat(48),
      PAYLOAD_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      CODE_HMAC_KEY: Buffer.alloc(32, 8).toString('base64'),
      KYC_PROVIDER_URL: 'https://kyc.example.com',
      KYC_WEBHOOK_SECRET: 'whsec_c2VjcmV0',
      KYB_PROVIDER_URL: 'https://kyb.example.com',
      KYB_WEBHOOK_SECRET: 'whsec_a3li',
      SMS_PROVIDER_URL: 'https://sms.example.com/send',
      CAPTCHA_VERIFY_URL: 'https://captcha.example.com/siteverify',
      CAPTCHA_SECRET: 'captcha-secret',
    };
    expect(parseConfig(complete).NODE_ENV).toBe('production');
    const { CODE_HMAC_KEY: _omitted, ...withoutCodeKey } = complete;
    expect(() => parseConfig(withoutCodeKey)).toThrow(/CODE_HMAC_KEY: required when NODE_ENV=production/);
    const { KYB_WEBHOOK_SECRET: _kyb, ...withoutKybSecret } = complete;
    expect(() => parseConfig(withoutKybSecret)).toThrow(/KYB_WEBHOOK_SECRET: required when NODE_ENV=production/);
    const { PAYLOAD_ENCRYPTION_KEY: key, ...withoutKey } = complete;
    expect(parseConfig({ ...withoutKey, PAYLOAD_ENCRYPTION_KEYS: `k2:${key}` }).PAYLOAD_ENCRYPTION_KEYS).toEqual([{ id: 'k2', key }]);
    expect(() => parseConfig({ ...complete, PAYLOAD_ENCRYPTION_KEYS: `k2:${key}` })).toThrow(/not both/);
    // A disabled platform token need not be given, as long as /codec does not rely on it.
    const { PLATFORM_ADMIN_TOKEN: _token, ...withoutToken } = complete;
    expect(() => parseConfig({ ...withoutToken, PLATFORM_ADMIN_TOKEN_ENABLED: 'false' })).toThrow(/CODEC_AUTH: admin-token needs the platform token/);
    expect(parseConfig({ ...withoutToken, PLATFORM_ADMIN_TOKEN_ENABLED: 'false', CODEC_AUTH: 'none' }).PLATFORM_ADMIN_TOKEN).toBeUndefined();
  });
  it('needs the issuer and audience for CODEC_AUTH=oidc, and a required claim with its value', () => {
    const issuer = 'https://idp.example.com/realms/staff';
    expect(() => parseConfig({ CODEC_AUTH: 'oidc', CODEC_OIDC_AUDIENCE: 'temporal-ui' })).toThrow(/^Invalid configuration:\n  CODEC_OIDC_ISSUER: required when CODEC_AUTH=oidc$/);
    expect(() => parseConfig({ CODEC_AUTH: 'oidc', CODEC_OIDC_ISSUER: issuer })).toThrow(/^Invalid configuration:\n  CODEC_OIDC_AUDIENCE: required when CODEC_AUTH=oidc$/);
    expect(() => parseConfig({ CODEC_AUTH: 'oidc', CODEC_OIDC_ISSUER: 'not a url', CODEC_OIDC_AUDIENCE: 'a' })).toThrow(/CODEC_OIDC_ISSUER: /);
    const oidc = { CODEC_AUTH: 'oidc', CODEC_OIDC_ISSUER: issuer, CODEC_OIDC_AUDIENCE: 'temporal-ui' };
    expect(() => parseConfig({ ...oidc, CODEC_OIDC_REQUIRED_CLAIM: 'groups' })).toThrow(/CODEC_OIDC_REQUIRED_VALUE: required with CODEC_OIDC_REQUIRED_CLAIM/);
    expect(() => parseConfig({ ...oidc, CODEC_OIDC_REQUIRED_VALUE: 'compliance' })).toThrow(/CODEC_OIDC_REQUIRED_CLAIM: required with CODEC_OIDC_REQUIRED_VALUE/);
    expect(parseConfig({ ...oidc, CODEC_OIDC_REQUIRED_CLAIM: 'groups', CODEC_OIDC_REQUIRED_VALUE: 'compliance' })).toMatchObject({ CODEC_AUTH: 'oidc', CODEC_OIDC_ISSUER: issuer });
  });
});
