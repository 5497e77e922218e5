/** The REST base path of the console's own API, on every host (demo worker and real server). */
export const BASE_PATH = '/rest/api-token-auth/1.0';

/** Every REST path of a host starts here; the backend answers all of them (unknown ones with a JSON 404). */
export const REST_PATH = '/rest';
