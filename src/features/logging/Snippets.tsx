import { useState } from 'react';
import { Button } from '@/components/ui/Button';
import { Section } from '@/components/ui/Field';
import {
  log4j1Snippet,
  log4j2Snippet,
  serverSnippet,
  snippetLoggers,
  type ConfiguredLogger,
} from './snippets';

function Snippet({
  id,
  title,
  description,
  text,
}: {
  id: string;
  title: string;
  description: string;
  text: string;
}) {
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <div>
      <div className="flex items-center justify-between gap-2">
        <h3 id={id} className="font-semibold">
          {title}
        </h3>
        <Button
          aria-label={`Copy ${title}`}
          onClick={() =>
            void navigator.clipboard.writeText(text).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          Copy
        </Button>
      </div>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">{description}</p>
      <p role="status" className="text-xs">
        {copied === true && 'Copied.'}
        {copied === false && 'Could not copy: select the text and copy it yourself.'}
      </p>
      <pre
        aria-labelledby={id}
        className="mt-1 rounded bg-slate-100 p-3 text-xs break-all whitespace-pre-wrap dark:bg-slate-800"
      >
        <code>{text}</code>
      </pre>
    </div>
  );
}

/** What to put in the configuration file so that the configured levels survive a restart. */
export function Snippets({ loggers: configured }: { loggers: readonly ConfiguredLogger[] }) {
  const { loggers, example } = snippetLoggers(configured);
  return (
    <Section
      title="Permanent configuration"
      description={
        (example
          ? "No logger is configured on this page: this is the seed's example, the app's package at INFO, which writes the authentication lines. "
          : '') +
        'Levels set on this page are lost at restart. To keep them, add this to the logging configuration and restart. In a cluster, the configuration is per node: change it on every node.'
      }
    >
      <Snippet
        id="snippet-log4j2"
        title="Log4j 2 (Jira 9.5 and newer)"
        description="In log4j2.xml in the Jira home directory, inside <Loggers>. The loggers write to the file appender without additivity (their lines do not also go to the root logger)."
        text={log4j2Snippet(loggers)}
      />
      <Snippet
        id="snippet-log4j1"
        title="Log4j 1 (before Jira 9.5)"
        description="In log4j.properties: a dedicated file appender, apitokenservice.log, with the app's ConversionPattern."
        text={log4j1Snippet(loggers)}
      />
      <Snippet
        id="snippet-server"
        title="This console's own server (npm run serve), not Jira"
        description="Only for the API Token Console's own Node server, which stands in for Jira in this project: in its environment (or the same levels as --log-level options), every start begins with these levels."
        text={serverSnippet(loggers)}
      />
    </Section>
  );
}
