import { RANGE_PRESETS, zoneName, type AuditView } from '@/lib/audit-view';
import { boundary, formatDate, formatDateTime } from '@/lib/time';
import { timeZoneOf } from './format';

/** A custom range's day or minute, in the console's date format and the view's zone. */
function rangeEdgeLabel(value: string, zone: AuditView['tz']): string {
  const instant = boundary(value, zone, 'start');
  if (!instant) return value;
  return value.includes('T')
    ? formatDateTime(instant, timeZoneOf(zone))
    : `${formatDate(instant, timeZoneOf(zone))} (${zoneName(zone)})`;
}

/** The filters in effect, each with the change that removes it: the chips, and the count of "Filters (N)". */
export function activeFilters(view: AuditView): { label: string; remove: Partial<AuditView> }[] {
  const chips: { label: string; remove: Partial<AuditView> }[] = [];
  const preset = RANGE_PRESETS.find((p) => p.id === view.range);
  if (preset) chips.push({ label: preset.label, remove: { range: undefined } });
  if (view.range === 'custom') {
    if (view.from)
      chips.push({ label: `From ${rangeEdgeLabel(view.from, view.tz)}`, remove: { from: undefined } });
    if (view.to) chips.push({ label: `To ${rangeEdgeLabel(view.to, view.tz)}`, remove: { to: undefined } });
  }
  if (view.category) chips.push({ label: `Category: ${view.category}`, remove: { category: undefined } });
  for (const event of view.event) {
    chips.push({ label: `Event: ${event}`, remove: { event: view.event.filter((e) => e !== event) } });
  }
  if (view.author) chips.push({ label: `Author: ${view.author}`, remove: { author: undefined } });
  if (view.username) chips.push({ label: `Username: ${view.username}`, remove: { username: undefined } });
  if (view.object) chips.push({ label: `Object: ${view.object}`, remove: { object: undefined } });
  if (view.ip) chips.push({ label: `Source IP: ${view.ip}`, remove: { ip: undefined } });
  if (view.q) chips.push({ label: `Search: ${view.q}`, remove: { q: undefined } });
  return chips;
}

/** Whether any filter narrows the records (an empty list then means "nothing matches", not "nothing yet"). */
export const hasAuditFilters = (view: AuditView) => activeFilters(view).length > 0;
