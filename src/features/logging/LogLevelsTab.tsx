import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { z } from 'zod';
import {
  LoggerNameSchema,
  ROOT_LOGGER,
  type ClusterNode,
  type LoggerView,
  type LogLevel,
  type RevertAfter,
} from '@contract/logging';
import { Button } from '@/components/ui/Button';
import { ErrorState } from '@/components/ui/ErrorState';
import { Section, TextField } from '@/components/ui/Field';
import { FilterField } from '@/components/ui/FilterField';
import { LoadingState } from '@/components/ui/LoadingState';
import { Notice } from '@/components/ui/Notice';
import { ApiError } from '@/lib/api-error';
import { useUrlState } from '@/lib/use-url-state';
import { showToast } from '@/stores/toasts';
import { ClusterNodes } from './ClusterNodes';
import { LevelFields } from './LevelFields';
import { loggersQueryOptions, useResetLevel, useSetLevel } from './api';
import { Countdown } from './Countdown';
import { SetLevelDialog } from './SetLevelDialog';
import { Snippets } from './Snippets';
import { CARD_CLASS } from '@/components/ui/Card';
import { HeaderCell, TABLE_HEAD_CLASS } from '@/components/ui/DataTable';

/** The level shared by every node, or null where the nodes differ. */
function common<T>(values: readonly T[]): T | null {
  return values.every((v) => v === values[0]) ? (values[0] ?? null) : null;
}

/** What a temporary level goes back to: "INFO", "the inherited level", or "DEBUG on node-1, inherited on node-2". */
function revertTarget(logger: LoggerView): string {
  const revertTo = Object.entries(logger.revertTo ?? {});
  const word = (level: LogLevel | null) => level ?? 'inherited';
  if (revertTo.some(([, level]) => level !== revertTo[0]![1]))
    return revertTo.map(([node, level]) => `${word(level)} on ${node}`).join(', ');
  return revertTo[0]?.[1] ?? 'the inherited level';
}

function LevelCell({ logger, kind }: { logger: LoggerView; kind: 'configured' | 'effective' }) {
  const values = logger.nodes.map((n) => (kind === 'configured' ? n.configuredLevel : n.effectiveLevel));
  const shared = common(values);
  const differ = logger.nodes.length > 1 && values.some((v) => v !== values[0]);
  if (differ) {
    return (
      <div>
        <span className="rounded bg-purple-100 px-1.5 py-0.5 text-xs font-semibold text-purple-950 dark:bg-purple-950 dark:text-purple-100">
          Nodes differ
        </span>
        <ul className="mt-1 text-xs">
          {logger.nodes.map((n) => (
            <li key={n.node}>
              {n.node}: {(kind === 'configured' ? n.configuredLevel : n.effectiveLevel) ?? '—'}
              {kind === 'effective' && n.effectiveSource !== logger.name && (
                <span className="text-slate-600 dark:text-slate-400"> (from {n.effectiveSource})</span>
              )}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  if (kind === 'configured')
    return <span>{shared ?? <span className="text-slate-600 dark:text-slate-400">— (inherited)</span>}</span>;
  const source = logger.nodes[0]?.effectiveSource;
  const inherited = source !== undefined && source !== logger.name;
  return inherited ? (
    <span className="text-slate-600 dark:text-slate-400">
      {shared} <span className="text-xs">(inherited from {source})</span>
    </span>
  ) : (
    <span className="font-medium">{shared}</span>
  );
}

/** The loggers list's filters, as the address bar holds them. */
const LoggerFiltersSchema = z.object({
  name: z.string().max(255).optional(),
  configured: z.boolean().default(false),
});

export function LogLevelsTab({ canChange }: { canChange: boolean }) {
  const loggers = useQuery(loggersQueryOptions);
  const queryClient = useQueryClient();
  const [filters, update] = useUrlState(LoggerFiltersSchema);
  const [editing, setEditing] = useState<{ name: string; current: LogLevel | null } | null>(null);
  const reset = useResetLevel();
  const refresh = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: loggersQueryOptions.queryKey }),
    [queryClient],
  );

  if (loggers.isPending) return <LoadingState label="Loading loggers…" />;
  if (loggers.isError) return <ErrorState error={loggers.error} onRetry={() => void loggers.refetch()} />;
  const { nodes, thisNode } = loggers.data;
  const shown = loggers.data.loggers.filter(
    (l) =>
      l.name.toLowerCase().includes((filters.name ?? '').toLowerCase()) &&
      (!filters.configured || l.nodes.some((n) => n.configuredLevel !== null)),
  );
  const configured = loggers.data.loggers.flatMap((l) => {
    const level =
      common(l.nodes.map((n) => n.configuredLevel)) ??
      l.nodes.find((n) => n.configuredLevel)?.configuredLevel;
    return level ? [{ name: l.name, level }] : [];
  });

  return (
    <div className="space-y-6">
      <Notice title="Levels set here last until the next restart">
        A level set here applies to the node you choose, or to every node at once, and is lost when that node
        restarts. To keep it, put it in the logging configuration file of every node (see “Permanent
        configuration” below).
      </Notice>

      <ClusterNodes nodes={nodes} thisNode={thisNode} />

      <div className="flex flex-wrap items-end gap-4">
        <FilterField
          id="logger-filter"
          label="Filter by name"
          className="min-w-60 flex-1"
          placeholder="e.g. apitokenauth"
          value={filters.name}
          onChange={(name, options) => update({ name }, options)}
        />
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={filters.configured}
            onChange={(e) => update({ configured: e.target.checked })}
          />
          Configured only
        </label>
      </div>

      <div className={`${CARD_CLASS} relative overflow-x-auto`}>
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Loggers</caption>
          <thead className={TABLE_HEAD_CLASS}>
            <tr>
              <HeaderCell>Logger</HeaderCell>
              <HeaderCell>Configured level</HeaderCell>
              <HeaderCell>Effective level</HeaderCell>
              <HeaderCell>
                <span className="sr-only">Actions</span>
              </HeaderCell>
            </tr>
          </thead>
          <tbody>
            {shown.length === 0 && (
              <tr>
                <td colSpan={4} className="px-3 py-4 text-slate-700 dark:text-slate-300">
                  No logger matches. Clear the filter, or configure the package below.
                </td>
              </tr>
            )}
            {shown.map((logger) => {
              const configuredHere = logger.nodes.some((n) => n.configuredLevel !== null);
              return (
                <tr
                  key={logger.name}
                  className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800"
                >
                  <th scope="row" className="px-3 py-2 font-mono text-xs font-medium break-all">
                    {logger.name}
                  </th>
                  <td className="px-3 py-2">
                    <LevelCell logger={logger} kind="configured" />
                    {logger.revertAt && (
                      <div className="mt-1">
                        <Countdown until={logger.revertAt} to={revertTarget(logger)} onDone={refresh} />
                      </div>
                    )}
                  </td>
                  <td className="px-3 py-2">
                    <LevelCell logger={logger} kind="effective" />
                  </td>
                  <td className="px-3 py-2">
                    {canChange && (
                      <div className="flex justify-end gap-2 whitespace-nowrap">
                        <Button
                          aria-label={`Set level of ${logger.name}`}
                          onClick={() =>
                            setEditing({
                              name: logger.name,
                              current: common(logger.nodes.map((n) => n.configuredLevel)),
                            })
                          }
                        >
                          Set level
                        </Button>
                        {logger.name !== ROOT_LOGGER && configuredHere && (
                          <Button
                            aria-label={`Reset ${logger.name}`}
                            disabled={reset.isPending}
                            onClick={() =>
                              reset.mutate(logger.name, {
                                onSuccess: () =>
                                  showToast({
                                    tone: 'success',
                                    title: `${logger.name} inherits its level again`,
                                  }),
                                onError: (e) =>
                                  showToast({ tone: 'error', title: 'Not reset', description: e.message }),
                              })
                            }
                          >
                            Reset
                          </Button>
                        )}
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      {canChange && <AddLoggerForm nodes={nodes} thisNode={thisNode} />}
      <Snippets loggers={configured} />
      <SetLevelDialog
        key={editing?.name ?? 'none'}
        name={editing?.name ?? null}
        current={editing?.current ?? null}
        nodes={nodes}
        thisNode={thisNode}
        onClose={() => setEditing(null)}
      />
    </div>
  );
}

/** Jira's "Configure logging level for another package": a package or class name, and a level. */
function AddLoggerForm({ nodes, thisNode }: { nodes: readonly ClusterNode[]; thisNode: string }) {
  const setLevel = useSetLevel();
  const [node, setNode] = useState('');
  const [name, setName] = useState('');
  const [level, setLevelChoice] = useState<LogLevel>('DEBUG');
  const [revertAfter, setRevertAfter] = useState<RevertAfter | ''>('');
  const [error, setError] = useState<string>();
  const typed = name.trim();
  const typedError = typed ? LoggerNameSchema.safeParse(typed).error?.issues[0]?.message : undefined;

  return (
    <Section
      title="Configure logging level for another package"
      description="A package or class that is not listed, e.g. com.example.integration."
    >
      <form
        noValidate
        className="flex flex-wrap items-start gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          const parsed = LoggerNameSchema.safeParse(typed);
          if (!parsed.success) return setError(parsed.error.issues[0]?.message);
          setLevel.mutate(
            { name: parsed.data, level, ...(revertAfter && { revertAfter }), ...(node && { node }) },
            {
              onSuccess: () => {
                showToast({ tone: 'success', title: `${parsed.data} set to ${level}` });
                setName('');
                setError(undefined);
              },
              onError: (e) => setError(e instanceof ApiError ? (e.fieldErrors.name ?? e.message) : e.message),
            },
          );
        }}
      >
        <TextField
          id="new-logger-name"
          label="Package or class name"
          className="min-w-72 flex-1"
          inputClassName="font-mono"
          value={name}
          error={error ?? typedError}
          onChange={(e) => {
            setName(e.target.value);
            setError(undefined);
          }}
        />
        <LevelFields
          idPrefix="new-logger"
          level={level}
          onLevel={setLevelChoice}
          nodeChoice={{ nodes, thisNode, node, onNode: setNode }}
          revertAfter={revertAfter}
          onRevertAfter={setRevertAfter}
        />
        <Button type="submit" variant="primary" className="mt-6" disabled={setLevel.isPending}>
          Configure
        </Button>
      </form>
    </Section>
  );
}
