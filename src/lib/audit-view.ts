import { z } from 'zod';
import { AUDIT_CATEGORIES, AuditEventSchema } from '@contract/audit';
import { AuditFilterSchema, type AuditFilter } from '@contract/audit-query';
import { boundary, BROWSER_TIME_ZONE, isDayOrMinute } from '@/lib/time';

export const RANGE_PRESETS = [
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { id: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number]['id'];

const dayOrMinute = z.string().refine(isDayOrMinute);

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
