/** The REST endpoints the seeded requests call. */
import { weightedTable, type Rng } from './random';

const PROJECTS = ['PROJ', 'OPS', 'WEB', 'API', 'SUP', 'DATA', 'MOB', 'HR'];

export function buildEndpoints(rng: Rng) {
  const issueKey = () => `${rng.pick(PROJECTS)}-${rng.int(1, 2400)}`;
  const get: [string, number][] = [
    ['/rest/api/2/myself', 30],
    ['/rest/api/2/search', 25],
    ['/rest/ssh/1.0/keys', 4],
    ['/rest/api/latest/project', 6],
    ['/rest/api/2/project', 4],
    ['/rest/agile/1.0/board', 6],
    ['/rest/api/2/serverInfo', 5],
    ['/rest/api/2/field', 3],
    ['/rest/api/2/dashboard', 2],
    ['/rest/api/2/status', 2],
  ];
  for (let i = 0; i < 60; i++) get.push([`/rest/api/2/issue/${issueKey()}`, 0.6]);
  for (let i = 0; i < 15; i++) get.push([`/rest/api/2/issue/${issueKey()}/comment`, 0.3]);
  for (let i = 0; i < 8; i++) get.push([`/rest/agile/1.0/board/${rng.int(1, 60)}/sprint`, 0.5]);
  for (const p of PROJECTS) get.push([`/rest/api/2/project/${p}/versions`, 0.4]);
  for (let i = 0; i < 6; i++) get.push([`/rest/api/2/filter/${rng.int(10000, 10400)}`, 0.4]);

  const write: Record<'POST' | 'PUT' | 'DELETE', string[]> = {
    POST: ['/rest/api/2/issue', '/rest/api/2/issueLink', '/rest/api/2/issue/bulk'],
    PUT: [],
    DELETE: [],
  };
  for (let i = 0; i < 20; i++) {
    const key = issueKey();
    write.POST.push(`/rest/api/2/issue/${key}/comment`, `/rest/api/2/issue/${key}/transitions`);
    write.PUT.push(`/rest/api/2/issue/${key}`, `/rest/api/2/issue/${key}/assignee`);
    write.DELETE.push(`/rest/api/2/issue/${key}/comment/${rng.int(10000, 99999)}`);
  }
  for (let i = 0; i < 5; i++) write.PUT.push(`/rest/agile/1.0/sprint/${rng.int(1, 300)}`);
  for (let i = 0; i < 5; i++) write.DELETE.push(`/rest/api/2/issue/${issueKey()}`);

  // The same, as indices into one list (the audit records' caches are arrays indexed by endpoint).
  const all = [...new Set([...get.map(([e]) => e), ...write.POST, ...write.PUT, ...write.DELETE])];
  const index = new Map(all.map((e, i) => [e, i]));
  const indexOf = (e: string) => index.get(e) ?? 0;
  return {
    get: weightedTable(get),
    write,
    all,
    getIndex: weightedTable(get.map(([e, w]) => [indexOf(e), w] as const)),
    writeIndex: {
      POST: write.POST.map(indexOf),
      PUT: write.PUT.map(indexOf),
      DELETE: write.DELETE.map(indexOf),
    },
  };
}

export type Endpoints = ReturnType<typeof buildEndpoints>;
export type WriteMethod = keyof Endpoints['write'];

export const WRITE_METHODS = weightedTable<WriteMethod>([
  ['POST', 55],
  ['PUT', 30],
  ['DELETE', 15],
]);
