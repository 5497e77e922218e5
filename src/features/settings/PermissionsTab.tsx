import { useQuery } from '@tanstack/react-query';
import { FieldError, Section } from '@/components/ui/Field';
import { LoadingState } from '@/components/ui/LoadingState';
import { groupsQueryOptions } from './api';
import { GroupPicker } from './GroupPicker';
import type { SettingsTabProps } from './tab-props';

type GrantKey = 'useTokens' | 'createTokens';

const GRANTS: { key: GrantKey; title: string; description: string }[] = [
  {
    key: 'useTokens',
    title: 'Use API tokens',
    description: 'Who may authenticate REST requests with an API token.',
  },
  {
    key: 'createTokens',
    title: 'Create API tokens',
    description: 'Who may create API tokens for themselves.',
  },
];

export function PermissionsTab({ draft, update, readOnly, errors }: SettingsTabProps) {
  const groups = useQuery(groupsQueryOptions);
  if (groups.isPending) return <LoadingState label="Loading groups…" />;
  const allGroups = groups.data ?? [];

  return (
    <div className="space-y-6">
      {groups.isError && <p role="alert">The groups could not be loaded: {groups.error.message}</p>}
      {GRANTS.map(({ key, title, description }) => {
        const grant = draft.permissions[key];
        const name = `grant-${key}`;
        return (
          <Section key={key} title={title} description={description}>
            <fieldset disabled={readOnly}>
              <legend className="sr-only">{title}</legend>
              <div className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
                <label className="flex items-center gap-2">
                  <input
                    type="radio"
                    name={name}
                    checked={grant.everyone}
                    onChange={() => update((d) => void (d.permissions[key].everyone = true))}
                  />
                  Everyone
                </label>
                <label className="flex items-center gap-2">
                  <input
                    type="radio"
                    name={name}
                    checked={!grant.everyone}
                    onChange={() => update((d) => void (d.permissions[key].everyone = false))}
                  />
                  Only members of chosen groups
                </label>
              </div>
            </fieldset>
            {!grant.everyone && (
              <GroupPicker
                label={`Groups that may ${title.toLowerCase()}`}
                groups={allGroups}
                chosen={grant.groups}
                disabled={readOnly}
                onChange={(chosen) => update((d) => void (d.permissions[key].groups = chosen))}
              />
            )}
            <FieldError id={`${name}-error`} message={errors[`permissions.${key}.groups`]} />
          </Section>
        );
      })}
      <Section
        title="Create and delete tokens for other users"
        description="Only members of these groups may manage other users' tokens in the Token Manager. This is never open to everyone."
      >
        <GroupPicker
          label="Groups that may create and delete tokens for other users"
          groups={allGroups}
          chosen={draft.permissions.manageOthersTokens.groups}
          disabled={readOnly}
          onChange={(chosen) => update((d) => void (d.permissions.manageOthersTokens.groups = chosen))}
        />
        <FieldError id="manage-others-error" message={errors['permissions.manageOthersTokens.groups']} />
      </Section>
    </div>
  );
}
