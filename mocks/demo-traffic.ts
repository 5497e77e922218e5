import { ipAllowed } from '../contract/ip';
import type { StoredToken } from '../backend/store/port';
import { createRng } from './seed/random';
import type { DemoData } from './seed/generate';

/** The demo's stand-in for the regular password of every user (the default authenticator accepts it). */
export const DEMO_PASSWORD = 'demo';
/** The load balancer the simulated clients come through. */
export const DEMO_PROXY_IP = '100.100.0.6';

const CLIENT_IPS = ['91.41.231.119', '185.12.64.3', '203.0.113.45', '198.51.100.77', '2001:db8:4:2::17'];
const OUTSIDE_IP = '45.155.205.233';
const READ_ENDPOINT = '/rest/api/2/myself';
const WRITE_ENDPOINT = '/rest/api/2/issue';

const basic = (username: string, secret: string) => `Basic ${btoa(`${username}:${secret}`)}`;

/**
 * One press of "Send demo traffic": a seeded burst of REST requests as real clients would send them —
 * valid tokens in both schemes, wrong, expired and IP-restricted tokens, Read Only tokens writing,
 * regular passwords (right and wrong), unknown bearer tokens, and a rapid series from one token.
 */
export function demoTrafficRequests(data: DemoData, round: number, now: Date): Request[] {
  const rng = createRng(0x7a11_0000 + round);
  const nowMs = now.getTime();
  const withSecret = data.tokens.filter((t) => data.tokenSecrets.has(t.id));
  const live = withSecret.filter((t) => t.expiresAt === null || Date.parse(t.expiresAt) > nowMs);
  const usable = (t: StoredToken, ip: string) => ipAllowed(ip, t.ipRestrictions);
  const expired = withSecret.filter((t) => t.expiresAt !== null && Date.parse(t.expiresAt) <= nowMs);
  const restricted = live.filter((t) => t.ipRestrictions.length > 0 && !usable(t, OUTSIDE_IP));
  const readOnly = live.filter((t) => t.scope === 'READ_ONLY' && t.ipRestrictions.length === 0);
  const open = live.filter((t) => t.ipRestrictions.length === 0);
  const usernames = data.users.map((u) => u.username);

  const requests: Request[] = [];
  const send = (authorization: string, clientIp: string, method = 'GET', endpoint = READ_ENDPOINT) =>
    requests.push(
      new Request(`http://demo.invalid${endpoint}`, {
        method,
        headers: { authorization, 'x-forwarded-for': `${clientIp}, ${DEMO_PROXY_IP}` },
        body: method === 'GET' ? undefined : '{}',
      }),
    );
  const secretOf = (t: StoredToken) => data.tokenSecrets.get(t.id) ?? '';
  const asClient = (t: StoredToken, useBasic: boolean) =>
    useBasic ? basic(t.ownerUsername, secretOf(t)) : `Bearer ${secretOf(t)}`;
  const fakeSecret = () => `atc_${Array.from(rng.bytes(30), (b) => (b % 36).toString(36)).join('')}`;

  for (let i = 0; i < 12 && open.length; i++)
    send(asClient(rng.pick(open), rng.chance(0.5)), rng.pick(CLIENT_IPS));
  for (let i = 0; i < 3 && expired.length; i++)
    send(asClient(rng.pick(expired), rng.chance(0.5)), rng.pick(CLIENT_IPS));
  for (let i = 0; i < 3 && restricted.length; i++)
    send(asClient(rng.pick(restricted), rng.chance(0.5)), OUTSIDE_IP);
  for (let i = 0; i < 3 && readOnly.length; i++) {
    send(asClient(rng.pick(readOnly), rng.chance(0.5)), rng.pick(CLIENT_IPS), 'POST', WRITE_ENDPOINT);
  }
  for (let i = 0; i < 4; i++) send(basic(rng.pick(usernames), fakeSecret()), OUTSIDE_IP);
  for (let i = 0; i < 3; i++) {
    send(basic(rng.pick(usernames), rng.chance(0.5) ? DEMO_PASSWORD : 'hunter2'), rng.pick(CLIENT_IPS));
  }
  for (let i = 0; i < 3; i++) send(`Bearer ${fakeSecret()}`, OUTSIDE_IP);
  // A rapid series from one client: what rate limiting is for.
  const busy = open[0];
  if (busy) for (let i = 0; i < 15; i++) send(`Bearer ${secretOf(busy)}`, CLIENT_IPS[0]!);
  return requests;
}
