/**
 * The soak workflow cannot run here (it needs ten runners), so this checks what it promises: its
 * shards together run the 10,000 scenarios DESIGN.md §9 asks of `npm run soak`, over the property
 * tests that exist, each shard from seeds no other shard uses.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

const soak = z
  .object({
    jobs: z.object({
      soak: z.object({
        strategy: z.object({ matrix: z.object({ shard: z.array(z.number().int()) }) }),
        steps: z.array(z.object({ run: z.string().optional(), env: z.record(z.string(), z.string()).optional() })),
      }),
    }),
  })
  .parse(yaml.load(fs.readFileSync(path.join(REPO, '.github/workflows/soak.yml'), 'utf8')));

/** Seeds one property-test run uses from its base seed: the sync simulation takes base + 0..5. */
const SEEDS_PER_RUN = 6;

describe('the soak workflow', () => {
  const { shard: shards } = soak.jobs.soak.strategy.matrix;
  const step = soak.jobs.soak.steps.find((s) => s.run?.includes('tests/property'));

  it('runs 10,000 scenarios in all over the property tests', () => {
    expect(step).toBeDefined();
    expect(shards.length * Number(step!.env?.SITREP_PROPERTY_RUNS)).toBe(10_000);
    expect(fs.readdirSync(path.join(REPO, 'tests/property')).some((f) => f.endsWith('.property.test.ts'))).toBe(true);
  });

  it('gives each shard seeds no other shard uses', () => {
    const match = /SITREP_PROPERTY_SEED=\$\(\((\d+) \+ (\d+) \* \$\{\{ matrix\.shard \}\}\)\)/.exec(step!.run!);
    expect(match).not.toBeNull();
    const [base, spacing] = [Number(match![1]), Number(match![2])];
    const seeds = shards.flatMap((shard) => Array.from({ length: SEEDS_PER_RUN }, (_, k) => base + spacing * shard + k));
    expect(new Set(seeds).size).toBe(seeds.length);
  });
});
