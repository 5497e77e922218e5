import { IpListEditor } from '@/components/IpListEditor';
import { errorsUnder } from '@/lib/field-errors';

/** A token's IP restrictions, in the create and the edit dialog (bound with fieldBinder). */
export function TokenIpRestrictions({
  id,
  value,
  errors,
  onValueChange,
  onPendingChange,
}: {
  id: string;
  value: string[];
  /** The form's messages: `ipRestrictions` for the list, `ipRestrictions.N` for an entry. */
  errors: Record<string, string>;
  onValueChange: (entries: string[]) => void;
  /** What is typed but not added yet (the form refuses to submit while there is some). */
  onPendingChange: (text: string) => void;
}) {
  return (
    <IpListEditor
      id={id}
      label="IP restrictions"
      hint="The token works only from these addresses and ranges (IPv4 or IPv6). Empty: from any address."
      entries={value}
      errors={errorsUnder(errors, 'ipRestrictions')}
      error={errors.ipRestrictions}
      onPendingChange={onPendingChange}
      onChange={onValueChange}
    />
  );
}
