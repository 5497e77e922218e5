import { RANGE_PRESETS, zoneName, type AuditView } from '@/lib/audit-view';

/** The filters in effect, each with the change that removes it: the chips, and the count of "Filters (N)". */
export function activeFilters(view: AuditView): { label: string; remove: Partial<AuditView> }[] {
  const chips: { label: string; remove: Partial<AuditView> }[] = [];
  const preset = RANGE_PRESETS.find((p) => p.id === view.range);
  if (preset) chips.push({ label: preset.label, remove: { range: undefined } });
  if (view.range === 'custom') {
    if (view.from)
      chips.push({
        label: `From ${view.from.replace('T', ' ')} ${zoneName(view.tz)}`,
        remove: { from: undefined },
      });
    if (view.to)
      chips.push({
        label: `To ${view.to.replace('T', ' ')} ${zoneName(view.tz)}`,
        remove: { to: undefined },
      });
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
