import { auditOption } from '../../contract/audit-options';

/**
 * The test data the specs share (as Keycloak admin-ui's test/utils): accounts and the labels of the
 * settings they switch, taken from the contract where the product defines them.
 */

/** The real server's first-start passwords in the e2e run (a fresh database every run). */
export const E2E_PASSWORDS = {
  admin: 'e2e-admin-password',
  auditor: 'e2e-auditor-password',
  user: 'e2e-user-password',
};
export type ServerAccount = keyof typeof E2E_PASSWORDS;

/** The server's environment for its first start: these passwords instead of generated ones. */
export const E2E_ACCOUNTS_ENV = {
  ATC_ADMIN_PASSWORD: E2E_PASSWORDS.admin,
  ATC_AUDITOR_PASSWORD: E2E_PASSWORDS.auditor,
  ATC_USER_PASSWORD: E2E_PASSWORDS.user,
};

export const BASIC_GATE = 'Disable basic authentication with regular passwords';
export const BEARER_GATE = 'Disable bearer authentication with other authenticators';

/** The switch labels of the Audit Logging tab. */
export const AUDIT_OPTION = {
  successful: auditOption('successfulAuthentication').label,
  failedBasic: auditOption('failedBasicAttempts').label,
  failedVerification: auditOption('failedVerification').label,
};
