/**
 * parsePlaybook / parsePlaybookJson: a valid playbook comes back typed; an invalid one comes back
 * with every problem as `path: message`, paths written `phases[2].checklist[0].title`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PLAYBOOK, formatIssuePath, parsePlaybook, parsePlaybookJson, type Playbook } from '../../../shared/playbook';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const copy = (): Playbook => structuredClone(DEFAULT_PLAYBOOK);

/** Edits that the types forbid (these tests feed ill-typed data): set or delete at a path. */
type Key = string | number;
const parentOf = (root: unknown, keys: Key[]): Record<Key, unknown> =>
  keys.slice(0, -1).reduce<unknown>((node, key) => (node as Record<Key, unknown>)[key], root) as Record<Key, unknown>;
const set = (root: unknown, keys: Key[], value: unknown): void => {
  parentOf(root, keys)[keys[keys.length - 1]] = value;
};
const remove = (root: unknown, keys: Key[]): void => {
  delete parentOf(root, keys)[keys[keys.length - 1]];
};

const errorsOf = (input: unknown): string[] => {
  const result = parsePlaybook(input);
  if (result.ok) throw new Error('expected the playbook to be rejected');
  return result.errors;
};

describe('parsePlaybook', () => {
  it('accepts the default playbook and returns it unchanged', () => {
    const result = parsePlaybook(structuredClone(DEFAULT_PLAYBOOK));
    expect(result).toEqual({ ok: true, playbook: DEFAULT_PLAYBOOK });
  });

  it('accepts the default playbook after a JSON round trip', () => {
    const result = parsePlaybookJson(JSON.stringify(DEFAULT_PLAYBOOK, null, 2), 'default.json');
    expect(result.ok).toBe(true);
  });

  it('fills defaults a hand-written playbook may leave out', () => {
    const p = copy();
    for (const key of ['description', 'resources', 'practices']) remove(p, [key]);
    p.roles.forEach((r, i) => r.commander || remove(p, ['roles', i, 'commander']));
    p.phases.forEach((_, i) => remove(p, ['phases', i, 'commands']));
    const result = parsePlaybook(p);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.playbook.roles.filter((r) => r.commander)).toHaveLength(1);
    expect(result.playbook.phases[1].commands).toEqual([]);
    expect(result.playbook.resources).toEqual([]);
  });

  it('reports every problem at once, shape and cross-reference alike, with exact paths', () => {
    const p = copy();
    remove(p, ['phases', 2, 'checklist', 0, 'title']);
    p.severities[1].colour = 'amber';
    p.alertThresholds[1].rules[0].metric = 'latency';
    p.metrics[3].id = 'error-rate';
    p.roles[2].commander = true;
    p.communicationTemplates[0].body += '\nOwner: {{owner}}';
    set(p, ['metrics', 0, 'unit'], 5);
    set(p, ['roles', 3, 'team'], 'tertiary');
    set(p, ['validation', 0, 'limit'], { kind: 'forever' });
    expect(errorsOf(p)).toEqual([
      'severities[1].colour: must be a colour like #d32f2f',
      'metrics[0].unit: expected string, got number',
      'roles[3].team: expected one of "primary", "secondary", got "tertiary"',
      'phases[2].checklist[0].title: required',
      'validation[0].limit.kind: expected one of "duration", "tightest-rto", got "forever"',
      'roles: exactly one role must be the commander (found 2)',
      'metrics[3].id: duplicate id "error-rate"',
      'alertThresholds[1].rules[0].metric: unknown metric "latency"',
      'communicationTemplates[0].body: placeholder {{owner}} is not declared',
    ]);
  });

  it('reports the cross-reference problems when the shape is right', () => {
    const p = copy();
    p.phases[1].checklist[2].id = p.phases[1].checklist[0].id;
    p.roles.push({ id: 'deputy', title: 'Deputy', holderTitle: 'Anyone', team: 'primary', commander: true });
    p.communicationTemplates[1].subject = 'Update about {{product}}';
    p.severities = [p.severities[0], p.severities[1], p.severities[3], { ...p.severities[2], id: 'P1' }];
    expect(errorsOf(p)).toEqual([
      'severities: missing severity P2',
      'roles: exactly one role must be the commander (found 2)',
      'phases[1].checklist[2].id: duplicate id "disconnect-affected-systems"',
      'communicationTemplates[1].body: placeholder {{product}} is not declared',
    ]);
  });

  it('says "required" for missing values and names the expected type otherwise', () => {
    const p = copy();
    remove(p, ['name']);
    remove(p, ['format']);
    remove(p, ['roles', 0, 'team']);
    set(p, ['version'], 1);
    set(p, ['phases'], {});
    set(p, ['recoveryObjectives', 2, 'rpoMinutes'], 'N/A');
    p.recoveryObjectives[3].rtoMinutes = 90.5;
    p.updateCadence.minutes.P3 = 0;
    expect(errorsOf(p)).toEqual([
      'format: required',
      'name: required',
      'version: expected string, got number',
      'roles[0].team: required',
      'phases: expected array, got object',
      'recoveryObjectives[2].rpoMinutes: expected number, got string',
      'recoveryObjectives[3].rtoMinutes: must be whole minutes',
      'updateCadence.minutes.P3: must be more than 0',
    ]);
  });

  it('reports phase windows that end before they start and empty text', () => {
    const p = copy();
    p.phases[0].window = { startMinutes: 60, endMinutes: 15 };
    p.phases[4].checklist[1].title = '   ';
    expect(errorsOf(p)).toEqual(['phases[0].window: endMinutes must be after startMinutes', 'phases[4].checklist[1].title: required']);
  });

  it('writes a problem with the value itself at (root)', () => {
    expect(errorsOf('playbook')).toEqual(['(root): expected object, got string']);
    expect(errorsOf(null)).toEqual(['(root): expected object, got null']);
    expect(errorsOf([])).toEqual(['(root): expected object, got array']);
  });
});

describe('formatIssuePath', () => {
  it('joins keys with dots and writes indices in brackets', () => {
    expect(formatIssuePath([])).toBe('(root)');
    expect(formatIssuePath(['phases', 2, 'checklist', 0, 'title'])).toBe('phases[2].checklist[0].title');
    expect(formatIssuePath(['updateCadence', 'minutes', 'P0'])).toBe('updateCadence.minutes.P0');
  });
});

describe('parsePlaybookJson', () => {
  it('turns a syntax error into one error naming the file, line and column', () => {
    const text = '{\n  "format": 1,\n  "id" "x"\n}';
    const result = parsePlaybookJson(text, 'custom-playbook.json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^custom-playbook\.json: invalid JSON at line 3, column 8: \S/);
  });

  it('names the file when the text ends early', () => {
    const result = parsePlaybookJson('', 'empty.json');
    expect(result).toEqual({ ok: false, errors: [expect.stringMatching(/^empty\.json: invalid JSON/)] });
  });

  it('ignores a byte-order mark and reports schema problems as paths', () => {
    const result = parsePlaybookJson('\uFEFF{"format": 1}', 'bom.json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContain('id: required');
  });
});

describe('shared/ stays pure', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
    );

  it('imports nothing from node:, electron, React or the DOM in shared/playbook', () => {
    const offending = files(path.join(repoRoot, 'shared/playbook')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/^\s*import[^'"]*['"]([^'"]+)['"]/gm)]
        .map((m) => m[1])
        .filter((spec) => /^node:|^(fs|path|os|crypto)$|^electron|^react|^react-dom/.test(spec))
        .map((spec) => `${path.relative(repoRoot, file)} imports ${spec}`),
    );
    expect(offending).toEqual([]);
    const source = files(path.join(repoRoot, 'shared/playbook')).map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(source).not.toMatch(/\b(?:window|document|localStorage)\./);
  });
});
