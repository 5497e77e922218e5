import { useState } from 'react';
import { SCOPE_LABELS, type CreatedToken } from '@contract/tokens';
import { Button } from '@/components/ui/Button';
import { INPUT_CLASS } from '@/components/ui/Field';
import { Notice } from '@/components/ui/Notice';
import { API_ORIGIN } from '@/lib/config';
import { formatDateTime } from '@/lib/time';

/** The new token's secret, shown exactly once, with a copy button, its summary and usage examples. */
export function SecretView({
  created,
  onCreateAnother,
  onDone,
}: {
  created: CreatedToken;
  onCreateAnother: () => void;
  onDone: () => void;
}) {
  const { token, secret } = created;
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const endpoint = `${API_ORIGIN || window.location.origin}/rest/api/2/myself`;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };

  return (
    <div className="space-y-5">
      <Notice tone="warning" title="Copy the token now">
        This is the only time it is shown. Once you close this dialog it cannot be shown again: the server
        keeps only a hash of it.
      </Notice>
      <div>
        <label htmlFor="new-token-secret" className="block text-sm font-medium">
          Your new API token
        </label>
        <div className="mt-1 flex gap-2">
          <input
            id="new-token-secret"
            readOnly
            value={secret}
            className={`${INPUT_CLASS} font-mono`}
            onFocus={(e) => e.target.select()}
          />
          <Button variant="primary" onClick={() => void copy()}>
            Copy
          </Button>
        </div>
        <p role="status" className="mt-1 text-sm">
          {copied === 'yes' && 'Copied to the clipboard.'}
          {copied === 'failed' && 'Could not copy: select the token and copy it yourself.'}
        </p>
      </div>

      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="font-medium">Description</dt>
        <dd>{token.description}</dd>
        <dt className="font-medium">Owner</dt>
        <dd>{token.ownerUsername}</dd>
        <dt className="font-medium">Scope</dt>
        <dd>{SCOPE_LABELS[token.scope]}</dd>
        <dt className="font-medium">Expires</dt>
        <dd>{token.expiresAt ? formatDateTime(token.expiresAt) : 'Never'}</dd>
        <dt className="font-medium">IP restrictions</dt>
        <dd>{token.ipRestrictions.length ? token.ipRestrictions.join(', ') : 'None: any address'}</dd>
        <dt className="font-medium">Token ID</dt>
        <dd className="font-mono">{token.id}</dd>
      </dl>

      <div>
        <h3 className="text-sm font-medium">Use it</h3>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
          Basic authentication, with the owner's username:
        </p>
        <pre className="mt-1 rounded bg-slate-100 p-2 text-xs break-all whitespace-pre-wrap dark:bg-slate-800">
          <code>{`curl -u ${token.ownerUsername}:${secret} ${endpoint}`}</code>
        </pre>
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">Bearer authentication:</p>
        <pre className="mt-1 rounded bg-slate-100 p-2 text-xs break-all whitespace-pre-wrap dark:bg-slate-800">
          <code>{`curl -H "Authorization: Bearer ${secret}" ${endpoint}`}</code>
        </pre>
      </div>

      <div className="flex flex-wrap justify-end gap-2">
        <Button onClick={onCreateAnother}>Create another with the same settings</Button>
        <Button variant="primary" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}
