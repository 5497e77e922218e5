/** The seed's IP addresses: clients, noisy sources of failed attempts, proxies, restrictions. */
import { weightedTable, type Rng, type WeightedTable } from './random';

export interface IpPool {
  /** Public-looking client addresses (about 60, a few IPv6). */
  clients: string[];
  /** A few addresses that produce many failed attempts. */
  noisy: string[];
  /** Load balancer / proxy addresses, null: direct. */
  proxies: WeightedTable<string | null>;
  proxyList: readonly (string | null)[];
  /** Index into proxyList, by weight. */
  proxyIndex: WeightedTable<number>;
}

/** First octets of public unicast ranges (no private, documentation, CGNAT or multicast ranges). */
const PUBLIC_FIRST_OCTETS = [
  5, 31, 37, 46, 62, 77, 78, 80, 81, 82, 84, 85, 87, 88, 89, 91, 93, 94, 109, 141, 145, 178, 185, 188, 193,
  194, 195, 212, 213, 217,
];
const IPV6_PREFIXES = ['2a02:8070', '2a01:c22', '2003:e2', '2a00:1450'];

export function buildIpPool(rng: Rng): IpPool {
  const seen = new Set<string>();
  const v4 = (): string => {
    for (;;) {
      const ip = `${rng.pick(PUBLIC_FIRST_OCTETS)}.${rng.int(1, 254)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
      if (!seen.has(ip)) {
        seen.add(ip);
        return ip;
      }
    }
  };
  const hex = () => rng.int(0x1000, 0xffff).toString(16);
  const v6 = (): string => `${rng.pick(IPV6_PREFIXES)}:${hex()}:${hex()}::${hex()}`;

  // The vendor's example address is one of the regular clients.
  seen.add('91.41.231.119');
  const clients = ['91.41.231.119'];
  while (clients.length < 56) clients.push(v4());
  for (let i = 0; i < 4; i++) clients.push(v6());
  const noisy = [v4(), v4(), v4(), v6()];
  const proxyWeights: [string | null, number][] = [
    ['100.100.0.6', 45],
    ['100.100.0.7', 30],
    [null, 25],
  ];
  return {
    clients,
    noisy,
    proxies: weightedTable(proxyWeights),
    proxyList: proxyWeights.map(([ip]) => ip),
    proxyIndex: weightedTable(proxyWeights.map(([, w], i) => [i, w] as const)),
  };
}

/** Restrictions a token can carry, with addresses that satisfy them (none of them is in the client pool). */
export const IP_RESTRICTION_PRESETS: readonly { restrictions: string[]; allowed: string[] }[] = [
  { restrictions: ['10.20.0.0/16'], allowed: ['10.20.4.17', '10.20.8.2', '10.20.31.250'] },
  {
    restrictions: ['192.168.10.0/24', '2001:db8::/32'],
    allowed: ['192.168.10.44', '2001:db8:85a3::8a2e:370:7334'],
  },
  { restrictions: ['203.0.113.25'], allowed: ['203.0.113.25'] },
  { restrictions: ['198.51.100.0/24'], allowed: ['198.51.100.7', '198.51.100.120'] },
  { restrictions: ['2001:db8:1234::/48'], allowed: ['2001:db8:1234::10', '2001:db8:1234:5::3'] },
  { restrictions: ['172.16.0.0/12', '10.0.0.0/8'], allowed: ['172.16.5.9', '10.1.2.3', '10.44.0.12'] },
  {
    restrictions: ['203.0.113.10', '203.0.113.11', '198.51.100.0/28'],
    allowed: ['203.0.113.10', '203.0.113.11', '198.51.100.5'],
  },
  { restrictions: ['10.30.1.15'], allowed: ['10.30.1.15'] },
];
