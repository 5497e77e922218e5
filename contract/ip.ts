import ipaddr from 'ipaddr.js';

/**
 * Whether `entry` is an IP address or a CIDR range, IPv4 or IPv6; the message to show next to the
 * field when it is not. One rule for the console and the backend.
 */
export function ipEntryError(entry: string): string | null {
  const value = entry.trim();
  if (value === '') return 'Enter an IP address or a CIDR range.';
  if (value.includes('/')) {
    const [addressPart = '', bitsPart = ''] = value.split('/');
    // ipaddr.js also reads old forms (10.0/16, 0xa.0.0.0/8, octal 010.0.0.0/8 = 8.0.0.0/8): an allow
    // list must mean exactly what it shows, so only four decimal parts and a plain prefix length pass.
    if (!isFullAddress(addressPart) || !/^(0|[1-9]\d{0,2})$/.test(bitsPart)) {
      return `"${value}" is not a valid CIDR range (e.g. 10.20.0.0/16 or 2001:db8::/32).`;
    }
    try {
      const [address, bits] = ipaddr.parseCIDR(value);
      // A range must start at its network address: 10.0.0.5/8 is almost always a typo for 10.0.0.0/8.
      const network = ipaddr.IPv4.isValid(value.split('/')[0] ?? '')
        ? ipaddr.IPv4.networkAddressFromCIDR(value)
        : ipaddr.IPv6.networkAddressFromCIDR(value);
      if (network.toString() !== address.toString()) {
        return `Not the start of a range: did you mean ${network.toString()}/${bits}?`;
      }
      return null;
    } catch {
      return `"${value}" is not a valid CIDR range (e.g. 10.20.0.0/16 or 2001:db8::/32).`;
    }
  }
  return isIpAddress(value)
    ? null
    : `"${value}" is not a valid IP address (e.g. 203.0.113.7 or 2001:db8::1).`;
}

/** Whether `value` is one IP address, IPv4 (four decimal parts) or IPv6. */
export const isIpAddress = (value: string) => ipaddr.isValid(value) && isFullAddress(value);

/**
 * Where failed attempts come from, for throttling and aggregating them: an IPv4 address, or the /64
 * network of an IPv6 address (a single host usually has a whole /64 to send from).
 */
export function attemptSource(address: string): string {
  // The usual case, on every request while rate limiting is on: an IPv4 address is its own source.
  if (!address.includes(':')) return address;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address);
  } catch {
    return address;
  }
  if (parsed instanceof ipaddr.IPv4) return parsed.toString();
  const network = new ipaddr.IPv6([...parsed.parts.slice(0, 4), 0, 0, 0, 0]);
  return `${network.toString()}/64`;
}

/** ipaddr.isValid accepts shorthand like "10.1" (classful); an allow list wants four parts. */
function isFullAddress(value: string): boolean {
  return value.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(value);
}

/** Whether `address` is one of `entries` or inside one of their ranges. An empty list allows every address. */
export function ipAllowed(address: string, entries: readonly string[]): boolean {
  if (entries.length === 0) return true;
  // The lists checked on every request (the settings' and each token's) are the same arrays each time
  // (the stores keep them; a change makes a new one): their entries are parsed once, not per request.
  let matcher = matcherOfList.get(entries);
  if (!matcher) {
    matcher = ipMatcher(entries);
    matcherOfList.set(entries, matcher);
  }
  return matcher(address);
}
const matcherOfList = new WeakMap<readonly string[], (address: string) => boolean>();

/** `ipAllowed` with the entries parsed once, for checking many addresses. */
export function ipMatcher(entries: readonly string[]): (address: string) => boolean {
  if (entries.length === 0) return () => true;
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const entry of entries) {
    try {
      if (entry.includes('/')) ranges.push(ipaddr.parseCIDR(entry));
      else {
        const single = ipaddr.process(entry);
        ranges.push([single, single.kind() === 'ipv4' ? 32 : 128]);
      }
    } catch {
      // An invalid entry matches nothing.
    }
  }
  // A scan meets the same few addresses again and again: decide each address once.
  const decided = new Map<string, boolean>();
  return (address) => {
    let allowed = decided.get(address);
    if (allowed === undefined) {
      allowed = matchesAny(address, ranges);
      if (decided.size < 10_000) decided.set(address, allowed);
    }
    return allowed;
  };
}

function matchesAny(address: string, ranges: readonly [ipaddr.IPv4 | ipaddr.IPv6, number][]): boolean {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address);
  } catch {
    return false;
  }
  return ranges.some(([range, bits]) => {
    const candidate = normaliseKind(parsed, range.kind());
    return candidate !== null && candidate.match([range, bits] as never);
  });
}

function normaliseKind(address: ipaddr.IPv4 | ipaddr.IPv6, kind: 'ipv4' | 'ipv6') {
  if (address.kind() === kind) return address;
  if (kind === 'ipv6' && address instanceof ipaddr.IPv4) return address.toIPv4MappedAddress();
  return null;
}

/** The canonical form of a valid entry (trimmed; IPv6 compressed and lower-case), for finding duplicates. */
export function normaliseIpEntry(entry: string): string {
  const value = entry.trim();
  try {
    if (value.includes('/')) {
      const [address, bits] = ipaddr.parseCIDR(value);
      return `${address.toString()}/${bits}`;
    }
    return ipaddr.parse(value).toString();
  } catch {
    return value;
  }
}

/**
 * The address as 16 bytes that sort as addresses do, for an index: IPv6, with IPv4 (and an IPv4-mapped
 * IPv6 address, which `ipMatcher` takes for its IPv4 address) as IPv4-mapped IPv6. Null when it is not
 * an address (no range holds it).
 */
export function ipKey(address: string): Uint8Array | null {
  try {
    const parsed = ipaddr.process(address);
    return Uint8Array.from(asIPv6(parsed).toByteArray());
  } catch {
    return null;
  }
}

/**
 * The keys (`ipKey`) of the first and last address of an entry, an address or a CIDR range, read as
 * `ipMatcher` reads it: an address's key is in this range exactly when `ipMatcher([entry])` accepts
 * it. Null when the entry matches nothing.
 */
export function ipKeyRange(entry: string): [Uint8Array, Uint8Array] | null {
  try {
    const [address, bits] = entry.includes('/')
      ? ipaddr.parseCIDR(entry)
      : [ipaddr.process(entry), ipaddr.process(entry).kind() === 'ipv4' ? 32 : 128];
    // IPv4 ranges hold IPv4 addresses only: the same bits of the mapped block.
    const cidr = `${asIPv6(address).toString()}/${address.kind() === 'ipv4' ? 96 + bits : bits}`;
    return [
      Uint8Array.from(ipaddr.IPv6.networkAddressFromCIDR(cidr).toByteArray()),
      Uint8Array.from(ipaddr.IPv6.broadcastAddressFromCIDR(cidr).toByteArray()),
    ];
  } catch {
    return null;
  }
}

const asIPv6 = (address: ipaddr.IPv4 | ipaddr.IPv6) =>
  address instanceof ipaddr.IPv4 ? address.toIPv4MappedAddress() : address;
