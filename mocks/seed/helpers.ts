/** Small helpers every part of the seed uses: fast ISO timestamps and shared frozen objects. */
import { DAY, HOUR, MINUTE, SECOND } from './constants';

export function at<T>(items: readonly T[], index: number): T {
  return items[index] as T;
}

/**
 * `Date#toISOString` for integer milliseconds, caching the date part (fast for sorted input). Builds
 * each string in one step (`String.fromCharCode`), so that every timestamp is one flat string rather
 * than a chain of concatenations: 100,000 of them stay in memory.
 */
export class IsoFormatter {
  private day = Number.NaN;
  /** Character codes of "YYYY-MM-DDTHH:MM:SS.mmmZ"; the date part changes only with the day. */
  private readonly codes = Uint16Array.from('0000-00-00T00:00:00.000Z', (c) => c.charCodeAt(0));

  format(ms: number): string {
    const codes = this.codes;
    const day = Math.floor(ms / DAY);
    if (day !== this.day) {
      this.day = day;
      const date = new Date(day * DAY).toISOString();
      for (let i = 0; i < 10; i++) codes[i] = date.charCodeAt(i);
    }
    let rest = ms - day * DAY;
    const h = Math.floor(rest / HOUR);
    rest -= h * HOUR;
    const m = Math.floor(rest / MINUTE);
    rest -= m * MINUTE;
    const s = Math.floor(rest / SECOND);
    rest -= s * SECOND;
    codes[11] = 48 + Math.floor(h / 10);
    codes[12] = 48 + (h % 10);
    codes[14] = 48 + Math.floor(m / 10);
    codes[15] = 48 + (m % 10);
    codes[17] = 48 + Math.floor(s / 10);
    codes[18] = 48 + (s % 10);
    codes[20] = 48 + Math.floor(rest / 100);
    codes[21] = 48 + (Math.floor(rest / 10) % 10);
    codes[22] = 48 + (rest % 10);
    // Explicit arguments: much faster than `apply` or spreading while the code is still cold.
    const c = codes;
    // prettier-ignore
    return String.fromCharCode(
      c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!,
      c[12]!, c[13]!, c[14]!, c[15]!, c[16]!, c[17]!, c[18]!, c[19]!, c[20]!, c[21]!, c[22]!, c[23]!,
    );
  }
}

export const iso = (ms: number): string => new Date(ms).toISOString();

/** A frozen empty array, shared by every record with nothing to list (typed to fit any array). */
export const EMPTY = Object.freeze([]) as unknown as never[];
/** Records share frozen sub-objects where they are equal; the types stay the contract's (mutable) ones. */
export function shared<T>(value: T): T {
  return Object.freeze(value);
}
