import { GATE_LABELS } from '@contract/audit-options';
import type { MaxValidity } from '@contract/settings';
import { IpListEditor } from '@/components/IpListEditor';
import { FieldError, INPUT_CLASS, NumberField, Section } from '@/components/ui/Field';
import { Switch } from '@/components/ui/Switch';
import { GATE_ANCHORS } from './settings-text';
import { fieldBinder } from '@/lib/field-binding';
import { errorsUnder } from '@/lib/field-errors';
import type { SettingsTabProps } from './tab-props';

const VALIDITY_PRESETS: { id: string; label: string; value: MaxValidity }[] = [
  { id: 'never', label: 'Never expires', value: { unit: 'never' } },
  { id: 'months-6', label: '6 months', value: { unit: 'months', value: 6 } },
  { id: 'months-12', label: '1 year', value: { unit: 'months', value: 12 } },
  { id: 'months-24', label: '2 years', value: { unit: 'months', value: 24 } },
];

function validityChoice(validity: MaxValidity): string {
  const preset = VALIDITY_PRESETS.find((p) => JSON.stringify(p.value) === JSON.stringify(validity));
  return preset?.id ?? 'days';
}

export function AuthenticationTab({ draft, update, readOnly, errors, onPendingIp }: SettingsTabProps) {
  const bind = fieldBinder({ draft, update, errors, readOnly });
  const auth = draft.authentication;
  const { tokenPolicy } = auth;
  const choice = validityChoice(tokenPolicy.maxValidity);

  return (
    <div className="space-y-6">
      <Section title="Authentication methods">
        <Switch
          id={GATE_ANCHORS.disableBasicAuthWithPasswords}
          label={GATE_LABELS.disableBasicAuthWithPasswords}
          description="When on, Basic authentication accepts API tokens only: a request whose credentials match no token is refused, even with a valid password."
          {...bind('authentication.disableBasicAuthWithPasswords')}
        />
        <Switch
          id={GATE_ANCHORS.disableBearerWithOtherAuthenticators}
          label={GATE_LABELS.disableBearerWithOtherAuthenticators}
          description="When on, a bearer token must be an API token: a request whose bearer token matches no API token is refused, even if another authenticator issued it."
          {...bind('authentication.disableBearerWithOtherAuthenticators')}
        />
      </Section>

      <Section
        title="Global IP restrictions"
        description="Requests authenticated with an API token are accepted only from these addresses and ranges, on top of each token's own restrictions."
      >
        <IpListEditor
          id="global-ip-restrictions"
          label="Allowed addresses and ranges"
          hint="IPv4 or IPv6 addresses and CIDR ranges. Empty: every address is allowed."
          entries={auth.ipRestrictions}
          disabled={readOnly}
          errors={errorsUnder(errors, 'authentication.ipRestrictions')}
          error={errors['authentication.ipRestrictions']}
          onPendingChange={onPendingIp}
          onChange={(entries) => update((d) => void (d.authentication.ipRestrictions = entries))}
        />
        {auth.ipRestrictions.length === 0 && (
          <p className="text-sm text-slate-700 dark:text-slate-300">
            No restriction: every address is allowed.
          </p>
        )}
      </Section>

      <Section
        title="Rate limiting"
        description="Limits how fast one API token may send requests; over the limit, requests are answered 429."
      >
        <Switch id="rate-limiting" label="Rate limiting" {...bind('authentication.rateLimit.enabled')} />
        {/* With rate limiting off its numbers apply to nothing: they are kept, but not editable. */}
        <div className="grid max-w-xl gap-4 sm:grid-cols-2">
          <NumberField
            id="rate-limit-rpm"
            label="Requests per minute"
            hint="Sustained rate per token."
            min={1}
            {...bind('authentication.rateLimit.requestsPerMinute')}
            disabled={readOnly || !auth.rateLimit.enabled}
          />
          <NumberField
            id="rate-limit-burst"
            label="Burst"
            hint="Requests a token may send at once."
            min={0}
            {...bind('authentication.rateLimit.burst')}
            disabled={readOnly || !auth.rateLimit.enabled}
          />
        </div>
        {!auth.rateLimit.enabled && !readOnly && (
          <p className="text-sm text-slate-700 dark:text-slate-300">
            Turn rate limiting on to change its limits.
          </p>
        )}
      </Section>

      <Section title="Token policy">
        <div className="grid max-w-xl gap-4 sm:grid-cols-2">
          <div>
            <label htmlFor="max-validity" className="block text-sm font-medium">
              Maximum validity
            </label>
            <p id="max-validity-hint" className="mt-0.5 text-sm text-slate-600 dark:text-slate-300">
              The longest a new token may be valid.
            </p>
            <select
              id="max-validity"
              aria-describedby="max-validity-hint"
              className={`mt-1 ${INPUT_CLASS}`}
              value={choice}
              disabled={readOnly}
              onChange={(e) => {
                const preset = VALIDITY_PRESETS.find((p) => p.id === e.target.value);
                update(
                  (d) =>
                    void (d.authentication.tokenPolicy.maxValidity = preset?.value ?? {
                      unit: 'days',
                      value: 90,
                    }),
                );
              }}
            >
              {VALIDITY_PRESETS.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
              <option value="days">A number of days</option>
            </select>
          </div>
          {tokenPolicy.maxValidity.unit === 'days' && (
            <NumberField
              id="max-validity-days"
              label="Days"
              hint="Between 1 and 3650."
              min={1}
              value={tokenPolicy.maxValidity.value}
              disabled={readOnly}
              error={errors['authentication.tokenPolicy.maxValidity.value']}
              onValueChange={(n) =>
                update((d) => void (d.authentication.tokenPolicy.maxValidity = { unit: 'days', value: n }))
              }
            />
          )}
        </div>
        <FieldError id="max-validity-error" message={errors['authentication.tokenPolicy.maxValidity']} />
        <Switch
          id="force-read-only"
          label="Force Read Only scope for regular users"
          description="Users who are not administrators can create Read Only tokens only."
          {...bind('authentication.tokenPolicy.forceReadOnlyForRegularUsers')}
        />
        <NumberField
          id="expiry-warning"
          className="max-w-xs"
          label="Expiry warning (days before expiry)"
          hint="Tokens show an “Expires in N days” badge this many days before they expire."
          min={1}
          {...bind('authentication.tokenPolicy.expiryWarningDays')}
        />
      </Section>
    </div>
  );
}
