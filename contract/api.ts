/** The REST base path of the console's own API, on every host (demo worker and real server). */
export const BASE_PATH = '/rest/api-token-auth/1.0';
