import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { contentMetadataSchema } from '../content/metadata';
import { projectRoot } from '../project-root';

/** The councils list (`content/councils.yaml`): which council looks after a care leaver. */
export const COUNCIL_TYPES = ['london-borough', 'city-of-london', 'metropolitan-borough', 'county', 'unitary'] as const;

const councilSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a lower-case slug'),
  name: z.string().min(2).max(80),
  type: z.enum(COUNCIL_TYPES),
  aliases: z.array(z.string().min(2).max(80)).default([]),
});
export type Council = z.infer<typeof councilSchema>;

const councilFileSchema = z.intersection(
  contentMetadataSchema,
  z.object({ kind: z.literal('council-list'), councils: z.array(councilSchema).min(1) }),
);

export class CouncilListError extends Error {
  constructor(file: string, problems: string[]) {
    super(`${file} is not a valid council list:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CouncilListError';
  }
}

export type CouncilMatch =
  | { kind: 'match'; council: Council }
  | { kind: 'suggestions'; councils: Council[] }
  | { kind: 'none' };

/** Lower case, `&` as "and", no punctuation, single spaces. */
function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\bst\.?\s/g, 'st ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Drops the words people add around a council's name ("Leeds City Council", "London Borough of Brent"). */
function strip(text: string): string {
  return text
    .replace(/\b(?:london|royal|metropolitan) borough of\b/g, ' ')
    .replace(/\b(?:the )?(?:city|county|borough|metropolitan borough|district|unitary)? ?council\b/g, ' ')
    .replace(/\bcounty of\b/g, ' ')
    .replace(/^(?:the|my)\s+/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

const MAX_SUGGESTIONS = 5;

export class CouncilDirectory {
  private readonly byId: Map<string, Council>;
  private readonly names: Array<{ key: string; council: Council }>;

  constructor(readonly councils: readonly Council[]) {
    this.byId = new Map(councils.map((council) => [council.id, council]));
    this.names = councils.flatMap((council) =>
      [council.name, ...council.aliases].map((name) => ({ key: normalise(name), council })),
    );
  }

  get(id: string): Council | undefined {
    return this.byId.get(id);
  }

  /** Finds the council someone typed: an exact name or short name, else up to five close ones. */
  find(input: string): CouncilMatch {
    const raw = normalise(input);
    if (raw.length < 2) return { kind: 'none' };
    const stripped = strip(raw);
    for (const candidate of [raw, stripped]) {
      const exact = this.names.find((entry) => entry.key === candidate);
      if (exact) return { kind: 'match', council: exact.council };
    }
    if (stripped.length < 3) return { kind: 'none' };

    const scored = new Map<string, { council: Council; score: number }>();
    for (const { key, council } of this.names) {
      let score: number | undefined;
      if (key.startsWith(stripped)) score = 0;
      else if (stripped.length >= 4 && key.includes(stripped)) score = 1;
      else {
        const distance = editDistance(stripped, key);
        const allowed = stripped.length >= 8 ? 2 : stripped.length >= 5 ? 1 : 0;
        if (distance <= allowed) score = 1 + distance;
      }
      if (score === undefined) continue;
      const existing = scored.get(council.id);
      if (!existing || score < existing.score) scored.set(council.id, { council, score });
    }
    const ranked = [...scored.values()].sort((a, b) => a.score - b.score || a.council.name.localeCompare(b.council.name));
    if (ranked.length === 0) return { kind: 'none' };
    if (ranked.length === 1 && ranked[0]!.score <= 2) return { kind: 'match', council: ranked[0]!.council };
    return { kind: 'suggestions', councils: ranked.slice(0, MAX_SUGGESTIONS).map((entry) => entry.council) };
  }
}

export const DEFAULT_COUNCILS_FILE = join(projectRoot, 'content', 'councils.yaml');

/** Reads and validates the councils list; a bad file stops start-up with every problem named. */
export function loadCouncils(file: string = DEFAULT_COUNCILS_FILE): CouncilDirectory {
  const parsed = councilFileSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new CouncilListError(file, parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const councils = parsed.data.councils;
  const problems: string[] = [];
  const seenIds = new Set<string>();
  const seenNames = new Map<string, string>();
  for (const council of councils) {
    if (seenIds.has(council.id)) problems.push(`duplicate id ${council.id}`);
    seenIds.add(council.id);
    for (const name of [council.name, ...council.aliases]) {
      const key = normalise(name);
      const owner = seenNames.get(key);
      if (owner && owner !== council.id) problems.push(`"${name}" names both ${owner} and ${council.id}`);
      seenNames.set(key, council.id);
    }
  }
  if (problems.length) throw new CouncilListError(file, problems);
  return new CouncilDirectory(councils);
}
