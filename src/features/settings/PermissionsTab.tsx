import { useQuery } from '@tanstack/react-query';
import { Section } from '@/components/ui/Field';
import { LoadingState } from '@/components/ui/LoadingState';
import { Notice } from '@/components/ui/Notice';
import { useAuthorization } from '@/lib/auth';
import { fieldBinder } from '@/lib/field-binding';
import { groupsQueryOptions } from './api';
import { saveConsequences } from './draft';
import { GroupPicker } from './GroupPicker';
import type { SettingsTabProps } from './tab-props';

const GRANTS = [
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
] as const;

/** Everyone, or only the chosen groups. */
function EveryoneChoice({
  name,
  legend,
  value,
  onValueChange,
  disabled,
}: {
  name: string;
  legend: string;
  value: boolean;
  onValueChange: (everyone: boolean) => void;
  disabled?: boolean;
}) {
  return (
    <fieldset disabled={disabled}>
      <legend className="sr-only">{legend}</legend>
      <div className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
        <label className="flex items-center gap-2">
          <input type="radio" name={name} checked={value} onChange={() => onValueChange(true)} />
          Everyone
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name={name} checked={!value} onChange={() => onValueChange(false)} />
          Only members of chosen groups
        </label>
      </div>
    </fieldset>
  );
}

export function PermissionsTab({ draft, saved, update, readOnly, errors }: SettingsTabProps) {
  const groups = useQuery(groupsQueryOptions);
  const { myself } = useAuthorization();
  const bind = fieldBinder({ draft, update, errors, readOnly });
  if (groups.isPending) return <LoadingState label="Loading groups…" />;
  const allGroups = groups.data ?? [];
  const { losesTokenManagement } = saveConsequences(saved, draft, myself?.groups ?? []);

  return (
    <div className="space-y-6">
      {groups.isError && <p role="alert">The groups could not be loaded: {groups.error.message}</p>}
      {GRANTS.map(({ key, title, description }) => (
        <Section key={key} title={title} description={description}>
          <EveryoneChoice name={`grant-${key}`} legend={title} {...bind(`permissions.${key}.everyone`)} />
          {!draft.permissions[key].everyone && (
            <GroupPicker
              id={`grant-${key}-groups`}
              label={`Groups that may ${title.toLowerCase()}`}
              groups={allGroups}
              {...bind(`permissions.${key}.groups`)}
            />
          )}
        </Section>
      ))}
      <Section
        title="Create and delete tokens for other users"
        description="Only members of these groups may manage other users' tokens in the Token Manager. This is never open to everyone."
      >
        <GroupPicker
          id="manage-others-groups"
          label="Groups that may create and delete tokens for other users"
          groups={allGroups}
          {...bind('permissions.manageOthersTokens.groups')}
        />
        {losesTokenManagement && (
          <Notice tone="warning" title="Nobody may be left to manage tokens">
            You are in none of these groups: after saving you can no longer manage other users' tokens, and
            unless another administrator is in one of them, nobody can.
          </Notice>
        )}
      </Section>
    </div>
  );
}
