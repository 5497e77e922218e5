/**
 * A tiny seeded pseudo-random number generator for the deterministic demo data.
 *
 * mulberry32: 32 bits of state, fast, good enough statistical quality for demo data.
 * NOT for anything security related (the real backend uses `crypto.getRandomValues`).
 */

/** The seed the demo uses unless told otherwise. */
export const DEFAULT_SEED = 0x5eed_2024;

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** A float in [min, max). */
  float(min: number, max: number): number;
  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** true with probability p. */
  chance(p: number): boolean;
  /** n random bytes; a plain function property, so it can be passed on as `rng.bytes`. */
  readonly bytes: (n: number) => Uint8Array;
  /** One element, chosen by weight (weights need not sum to 1). For hot loops use `weightedTable`. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** A new independent generator derived from this one's seed and a label (a stable sub-stream). */
  fork(label: string): Rng;
}

/** 32-bit FNV-1a of a string: turns a label into a seed offset. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function createRng(seed: number = DEFAULT_SEED): Rng {
  const initial = seed >>> 0;
  let state = initial;

  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error('pick() from an empty array');
    return items[Math.floor(next() * items.length)] as T;
  };

  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    float: (min, max) => min + next() * (max - min),
    pick,
    chance: (p) => next() < p,
    bytes: (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
      return out;
    },
    weighted: (items) => weightedTable(items).pick(next()),
    fork: (label) => createRng((initial ^ hashLabel(label)) >>> 0),
  };
}

/** A precomputed weighted choice, for hot loops: build once, then `pick(rng.next())`. */
export interface WeightedTable<T> {
  readonly items: readonly T[];
  /** Picks by a uniform number u in [0, 1). */
  pick(u: number): T;
}

export function weightedTable<T>(entries: readonly (readonly [T, number])[]): WeightedTable<T> {
  const items: T[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [item, weight] of entries) {
    if (!(weight > 0)) continue;
    total += weight;
    items.push(item);
    cumulative.push(total);
  }
  if (items.length === 0) throw new Error('weightedTable() needs at least one positive weight');
  const last = items.length - 1;
  return {
    items,
    pick(u: number): T {
      const target = u * total;
      // Binary search for the first cumulative weight above the target.
      let lo = 0;
      let hi = last;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((cumulative[mid] as number) > target) hi = mid;
        else lo = mid + 1;
      }
      return items[lo] as T;
    },
  };
}
