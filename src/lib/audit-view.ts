import { z } from 'zod';
import { AUDIT_CATEGORIES, AuditEventSchema } from '@contract/audit';
import { AuditFilterSchema, type AuditFilter } from '@contract/audit-query';
import { BROWSER_TIME_ZONE } from '@/lib/time';

export const RANGE_PRESETS = [
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { id: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number]['id'];

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const dayOrMinute = z.string().refine((v) => (DAY.test(v) || MINUTE.test(v) ? parts(v) !== null : false));

/**
 * The Audit Log view as the address bar holds it: what the user chose (a preset or days and times in
 * the chosen zone), not instants, so that a shared link means what its author saw. Read and written
 * by useUrlState; defaults are left out of the URL.
 */
export const AuditViewSchema = z.object({
  range: z.enum(['1h', '24h', '7d', '30d', 'custom']).optional(),
  /** With range=custom: "YYYY-MM-DD" or "YYYY-MM-DDTHH:mm" in the chosen zone. */
  from: dayOrMinute.optional(),
  to: dayOrMinute.optional(),
  tz: z.enum(['utc', 'local']).default('local'),
  category: z.enum(AUDIT_CATEGORIES).optional(),
  event: z.array(AuditEventSchema).default([]),
  author: z.string().max(255).optional(),
  username: z.string().max(255).optional(),
  object: z.string().max(255).optional(),
  ip: AuditFilterSchema.shape.ip,
  q: z.string().max(255).optional(),
  /** The record whose details are open (an id of any case: the panel says when none has it). */
  record: z
    .string()
    .regex(/^[\w-]{1,64}$/)
    .optional(),
});
export type AuditView = z.infer<typeof AuditViewSchema>;

/** The custom range's edges: days and times mean something only with range=custom (an edited link may carry them alone). */
export function customRange(view: AuditView): { from?: string; to?: string } {
  return view.range === 'custom' ? { from: view.from, to: view.to } : {};
}

function parts(value: string): [number, number, number, number, number] | null {
  const [date = '', time] = value.split('T');
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time ? (time.split(':').map(Number) as [number, number]) : [0, 0];
  // Years before 1000 would be read as 19xx by the Date functions; no audit record is that old.
  if (y < 1000 || m < 1 || m > 12 || d < 1 || d > 31 || hh > 23 || mm > 59) return null;
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCMonth() !== m - 1) return null; // e.g. 2026-02-30
  return [y, m, d, hh, mm];
}

/**
 * The instant a day or minute typed in the chosen zone starts ("start"), or its last millisecond
 * ("end"): a "to" date without a time is the end of that day in that zone.
 */
export function boundary(value: string, zone: 'utc' | 'local', edge: 'start' | 'end'): string | undefined {
  const p = parts(value);
  if (!p) return undefined;
  const [y, m, d, hh, mm] = p;
  const hasTime = MINUTE.test(value);
  const endMs = edge === 'start' ? 0 : hasTime ? 59_999 : 86_399_999;
  const base = zone === 'utc' ? Date.UTC(y, m - 1, d, hh, mm) : new Date(y, m - 1, d, hh, mm).getTime();
  // Local "end of day" is the start of the next day less 1 ms: a day may be 23 or 25 hours long, and
  // where clocks go back at midnight, 23:59 happens twice.
  if (zone === 'local' && edge === 'end' && !hasTime) {
    return new Date(new Date(y, m - 1, d + 1).getTime() - 1).toISOString();
  }
  return new Date(base + endMs).toISOString();
}

/** The API filter of a view at `now`: presets become instants, days become instants in the zone. */
export function viewToFilter(view: AuditView, now: Date): AuditFilter {
  const preset = RANGE_PRESETS.find((p) => p.id === view.range);
  const { from, to } = customRange(view);
  return {
    from: preset
      ? new Date(now.getTime() - preset.ms).toISOString()
      : from
        ? boundary(from, view.tz, 'start')
        : undefined,
    to: to ? boundary(to, view.tz, 'end') : undefined,
    category: view.category,
    summary: view.event,
    author: view.author?.trim() || undefined,
    username: view.username?.trim() || undefined,
    object: view.object?.trim() || undefined,
    ip: view.ip?.trim() || undefined,
    q: view.q?.trim() || undefined,
  };
}

export function zoneName(zone: 'utc' | 'local'): string {
  return zone === 'utc' ? 'UTC' : BROWSER_TIME_ZONE;
}

/** The view without the open record: what decides which records are listed. */
export function listKey(view: AuditView): Omit<AuditView, 'record'> {
  const { record: _record, ...rest } = view;
  return rest;
}

/** An instant as the custom range's "YYYY-MM-DDTHH:mm" in the chosen zone (what the timeline sets). */
export function toZoneMinute(ms: number, zone: 'utc' | 'local'): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (zone === 'utc') return d.toISOString().slice(0, 16);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
