import { describe, expect, it } from 'vitest';
import { attemptSource, ipAllowed, ipEntryError, ipKey, ipKeyRange, ipMatcher } from './ip';

const notAnAddress = (value: string) =>
  `"${value}" is not a valid IP address (e.g. 203.0.113.7 or 2001:db8::1).`;
const notARange = (value: string) =>
  `"${value}" is not a valid CIDR range (e.g. 10.20.0.0/16 or 2001:db8::/32).`;

describe('ipEntryError', () => {
  it.each([
    '203.0.113.7',
    '10.0.0.0/8',
    '192.168.1.0/24',
    '0.0.0.0/0',
    '203.0.113.7/32',
    '2001:db8::1',
    '2001:db8::/32',
    '::1',
    '::ffff:10.0.0.0/104',
    '  10.0.0.0/8  ',
  ])('accepts %j', (entry) => {
    expect(ipEntryError(entry)).toBeNull();
  });

  it.each([
    { entry: '10.0.0.5/8', message: 'Not the start of a range: did you mean 10.0.0.0/8?' },
    { entry: '192.168.1.77/24', message: 'Not the start of a range: did you mean 192.168.1.0/24?' },
    { entry: '2001:db8::1/32', message: 'Not the start of a range: did you mean 2001:db8::/32?' },
    { entry: '10.0.0.0/33', message: notARange('10.0.0.0/33') },
    { entry: '2001:db8::/129', message: notARange('2001:db8::/129') },
    { entry: '10.0.0.0/', message: notARange('10.0.0.0/') },
    { entry: 'office/24', message: notARange('office/24') },
    { entry: '10.1', message: notAnAddress('10.1') },
    { entry: '256.0.0.1', message: notAnAddress('256.0.0.1') },
    { entry: '010.0.0.1', message: notAnAddress('010.0.0.1') },
    { entry: 'garbage', message: notAnAddress('garbage') },
    { entry: '2001:db8::g', message: notAnAddress('2001:db8::g') },
    { entry: '', message: 'Enter an IP address or a CIDR range.' },
    { entry: '   ', message: 'Enter an IP address or a CIDR range.' },
  ])('refuses $entry with a message', ({ entry, message }) => {
    expect(ipEntryError(entry)).toBe(message);
  });

  // A range must mean what it shows: '010.0.0.0/8' would otherwise be read as octal, i.e. 8.0.0.0/8.
  it.each(['10.0/16', '010.0.0.0/8', '0xa.0.0.0/8', '167772160/8', '10/8', '10.0.0.0/08'])(
    'refuses the IPv4 shorthand range %j as not a valid CIDR range',
    (entry) => {
      expect(ipEntryError(entry)).toBe(notARange(entry));
    },
  );
});

describe('ipAllowed', () => {
  it('allows every address when the list is empty', () => {
    expect(ipAllowed('203.0.113.7', [])).toBe(true);
    expect(ipAllowed('2001:db8::1', [])).toBe(true);
  });

  it.each([
    { address: '10.1.2.3', entries: ['10.0.0.0/8'], allowed: true },
    { address: '10.255.255.255', entries: ['10.0.0.0/8'], allowed: true },
    { address: '11.0.0.0', entries: ['10.0.0.0/8'], allowed: false },
    { address: '203.0.113.7', entries: ['10.0.0.0/8'], allowed: false },
    { address: '192.168.1.5', entries: ['10.0.0.0/8', '192.168.0.0/16'], allowed: true },
    { address: '203.0.113.7', entries: ['203.0.113.7'], allowed: true },
    { address: '203.0.113.8', entries: ['203.0.113.7'], allowed: false },
    { address: '2001:db8::5', entries: ['2001:db8::/32'], allowed: true },
    { address: '2001:db8:ffff::1', entries: ['2001:db8::/32'], allowed: true },
    { address: '2001:db9::5', entries: ['2001:db8::/32'], allowed: false },
    { address: '2001:db8::1', entries: ['2001:db8:0:0::1'], allowed: true },
    { address: '2001:db8::2', entries: ['2001:db8::1'], allowed: false },
    { address: '10.1.2.3', entries: ['2001:db8::/32'], allowed: false },
    { address: '2001:db8::1', entries: ['10.0.0.0/8'], allowed: false },
    { address: '::ffff:10.0.0.1', entries: ['10.0.0.0/8'], allowed: true },
    { address: '::ffff:11.0.0.1', entries: ['10.0.0.0/8'], allowed: false },
    { address: '::ffff:10.0.0.1', entries: ['10.0.0.1'], allowed: true },
    { address: '10.0.0.1', entries: ['::ffff:10.0.0.0/104'], allowed: true },
    { address: 'not-an-address', entries: ['10.0.0.0/8'], allowed: false },
  ])('$address against $entries: $allowed', ({ address, entries, allowed }) => {
    expect(ipAllowed(address, entries)).toBe(allowed);
  });

  it('answers the same list again and again (as on every request), and a changed list by its new entries', () => {
    const office = ['10.0.0.0/8', '192.168.0.0/16'];
    for (let i = 0; i < 3; i++) {
      expect(ipAllowed('10.1.2.3', office)).toBe(true);
      expect(ipAllowed('203.0.113.7', office)).toBe(false);
    }
    // A saved change is a new list: it is judged by its own entries, not by what the old one decided.
    const widened = [...office, '203.0.113.0/24'];
    expect(ipAllowed('203.0.113.7', widened)).toBe(true);
    const narrowed = ['192.168.0.0/16'];
    expect(ipAllowed('10.1.2.3', narrowed)).toBe(false);
    expect(ipAllowed('10.1.2.3', office)).toBe(true);
  });
});

describe('attemptSource', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2::7', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:3::7', '2001:db8:1:3::/64'],
  ])('%s → %s', (address, source) => {
    expect(attemptSource(address)).toBe(source);
  });
});

describe('ipKey and ipKeyRange (the sortable form an index keeps)', () => {
  const addresses = [
    '0.0.0.0',
    '9.255.255.255',
    '10.0.0.0',
    '10.1.2.3',
    '10.255.255.255',
    '11.0.0.0',
    '255.255.255.255',
    '::',
    '::1',
    '::ffff:10.0.0.1',
    '::ffff:0:0',
    '2001:db8::',
    '2001:DB8:0:0:0:0:0:7',
    '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff',
    '2001:db9::',
    'fe80::1%eth0',
    'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    'not an address',
    '',
  ];
  const entries = [
    '10.0.0.0/8',
    '10.255.255.255',
    '10.0.0.0/32',
    '0.0.0.0/0',
    '::/0',
    '::',
    '::ffff:10.0.0.0/104',
    '::ffff:10.0.0.1',
    '10.0.0.1',
    '2001:db8::/32',
    '2001:db8::7',
    'fe80::/10',
    '255.255.255.255/32',
  ];
  const compare = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b));

  it.each(entries)('a key is in the range of %j exactly when the address matches it', (entry) => {
    const range = ipKeyRange(entry);
    expect(range).not.toBeNull();
    const [first, last] = range!;
    const matches = ipMatcher([entry]);
    for (const address of addresses) {
      const key = ipKey(address);
      const inRange = key !== null && compare(first, key) <= 0 && compare(key, last) <= 0;
      expect(inRange, address).toBe(matches(address));
    }
  });

  it('sorts as the addresses do: IPv4 among the IPv4-mapped IPv6 addresses, 16 bytes each', () => {
    const keys = ['::1', '::ffff:0:0', '9.255.255.255', '10.0.0.0', '::ffff:10.0.0.1', '2001:db8::'].map(
      (address) => ipKey(address)!,
    );
    expect(keys.every((key) => key.length === 16)).toBe(true);
    expect([...keys].sort(compare)).toEqual(keys);
    expect(ipKey('10.0.0.1')).toEqual(ipKey('::ffff:10.0.0.1'));
    expect(ipKey('nope')).toBeNull();
    expect(ipKeyRange('nope')).toBeNull();
  });
});
