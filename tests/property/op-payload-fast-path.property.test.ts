/**
 * The entry payload fast path (shared/model/op-payload.ts) decides as zod does: whatever it
 * accepts, `opPayloadSchema` accepts with the very same parsed value (keys in the same order), and
 * `decodePayload` answers exactly what zod alone would for any bytes. Inputs: valid entry payloads
 * (every optional key, length bounds, uuid variants), the same with one part broken, and arbitrary
 * JSON.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePayload, ENTRY_KINDS, entryPayloadFastPath, opPayloadSchema, PAYLOAD_SCHEMA_VERSION } from '../../shared/model/op-payload';

const seed = Number(process.env.SITREP_PROPERTY_SEED ?? 20261129);
const numRuns = Number(process.env.SITREP_PROPERTY_RUNS ?? 300);
const timeout = Math.max(30_000, numRuns * 20);

const hex = (n: number, digits = '0123456789abcdef') => fc.string({ unit: fc.constantFrom(...digits), minLength: n, maxLength: n });
/**
 * Each part is mostly valid (so whole payloads often are), sometimes at or one past a bound: a
 * uuid of another case, version or variant, a string of exactly max or max + 1, a negative,
 * fractional or unsafe number.
 */
const uuidArb = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(hex(8), hex(4), fc.constantFrom(...'12345678'), hex(3), fc.constantFrom(...'89ab'), hex(3), hex(12))
      .map(([a, b, v, c, w, d, e]) => `${a}-${b}-${v}${c}-${w}${d}-${e}`),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(hex(8, '0123456789abcdefABCDEF'), hex(4), fc.constantFrom(...'0123456789'), hex(3), fc.constantFrom(...'89abABcC'), hex(3), hex(12))
      .map(([a, b, v, c, w, d, e]) => `${a}-${b}-${v}${c}-${w}${d}-${e}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '0192f3a4-5b6c-7d8e-9f00-112233445566 ', '') },
);
const textArb = (max: number) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.string({ maxLength: 30, unit: 'grapheme' }) },
    { weight: 1, arbitrary: fc.constantFrom('x'.repeat(max), 'é'.repeat(max), '😀'.repeat(Math.floor(max / 2)), '😀'.repeat(Math.ceil((max + 1) / 2)), 'x'.repeat(max + 1)) },
  );
const countArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 2 ** 45 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, -1, 0.5, 2 ** 53 - 1, 2 ** 53, Number.MAX_VALUE, -(2 ** 53)) },
);
const kindArb = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...ENTRY_KINDS) }, { weight: 1, arbitrary: fc.constantFrom('Note', 'entry.add', '') });

const entryArb = fc.record(
  {
    id: uuidArb,
    kind: kindArb,
    text: textArb(20_000),
    occurredAt: countArb,
    template: textArb(100),
    alert: textArb(200),
    supersedes: uuidArb,
    retracts: uuidArb,
    redacts: uuidArb,
  },
  { requiredKeys: ['id', 'kind', 'text', 'occurredAt'], noNullPrototype: true },
);

const payloadArb = fc.record({
  schema: fc.oneof({ weight: 8, arbitrary: fc.constant(PAYLOAD_SCHEMA_VERSION) }, { weight: 1, arbitrary: fc.constantFrom(0, 2, '1') }),
  at: countArb,
  by: textArb(200),
  kind: fc.oneof({ weight: 8, arbitrary: fc.constant('entry.add') }, { weight: 1, arbitrary: fc.constantFrom('fields.set', 'entry.added', 'samples.add') }),
  entry: entryArb,
}, { noNullPrototype: true });

/** One part of a payload replaced by anything, deleted, or a key added (top level or in the entry). */
const brokenArb = fc
  .tuple(payloadArb, fc.constantFrom('top', 'entry'), fc.constantFrom('replace', 'delete', 'add'), fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }))
  .map(([payload, where, how, key, value]) => {
    const copy = JSON.parse(JSON.stringify(payload)) as Record<string, unknown> & { entry: Record<string, unknown> };
    const target: Record<string, unknown> = where === 'top' ? copy : copy.entry;
    const keys = Object.keys(target);
    const chosen = how === 'add' ? key : keys[key.length % keys.length];
    if (how === 'delete') delete target[chosen];
    else target[chosen] = value;
    return copy;
  });

/** Every bound and near miss, one at a time, in an otherwise valid payload (path: top key, or entry key). */
const uuid = '0192f3a4-5b6c-7d8e-9f00-112233445566';
const EDGES: [string, unknown][] = [
  ...[200, 201].flatMap((n): [string, unknown][] => [['by', 'x'.repeat(n)], ['entry.alert', 'x'.repeat(n)]]),
  ['by', '😀'.repeat(100)], ['by', '😀'.repeat(101)], ['entry.text', 'x'.repeat(20_000)], ['entry.text', 'x'.repeat(20_001)],
  ['entry.template', 'x'.repeat(100)], ['entry.template', 'x'.repeat(101)], ['entry.template', null], ['entry.alert', 1],
  ...['entry.id', 'entry.supersedes', 'entry.retracts', 'entry.redacts'].flatMap((path): [string, unknown][] =>
    [uuid.toUpperCase(), uuid.replace('-7', '-0'), uuid.replace('-7', '-9'), uuid.replace('-9f', '-cf'), '00000000-0000-0000-0000-000000000000', `${uuid} `, uuid.slice(1), 7].map((v) => [path, v]),
  ),
  ...['at', 'entry.occurredAt'].flatMap((path): [string, unknown][] => [0, -0, -1, 0.5, 2 ** 53 - 1, 2 ** 53, 1e308, '5', null].map((v) => [path, v])),
  ...[...ENTRY_KINDS, 'Note', ''].map((v): [string, unknown] => ['entry.kind', v]),
  ['schema', 0], ['schema', 2], ['schema', '1'], ['kind', 'fields.set'], ['extra', 1], ['entry.extra', 'x'], ['entry', null], ['entry', []],
  ['by', undefined], ['entry.text', undefined], ['entry.id', undefined],
];
const withEdge = (payload: object, [path, value]: [string, unknown]): unknown => {
  const copy = JSON.parse(JSON.stringify(payload)) as Record<string, unknown> & { entry: Record<string, unknown> };
  const [head, key] = path.split('.');
  const target: Record<string, unknown> = key === undefined ? copy : copy.entry;
  const name = key ?? head;
  if (value === undefined) delete target[name];
  else target[name] = value;
  return copy;
};
const edgedArb = fc.tuple(payloadArb, fc.constantFrom(...EDGES)).map(([payload, edge]) => withEdge(payload, edge));

const anyInput = fc.oneof({ weight: 3, arbitrary: payloadArb }, { weight: 4, arbitrary: edgedArb }, { weight: 2, arbitrary: brokenArb }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) }, { weight: 1, arbitrary: fc.anything() });

describe('the entry payload fast path', () => {
  it(
    'accepts only what zod accepts, with the same value in the same key order',
    () => {
      let taken = 0;
      fc.assert(
        fc.property(anyInput, (input) => {
          const fast = entryPayloadFastPath(input);
          if (fast === undefined) return;
          taken++;
          const zod = opPayloadSchema.safeParse(input);
          expect(zod.success).toBe(true);
          expect(fast).toStrictEqual(zod.data);
          expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
        }),
        { seed, numRuns },
      );
      // Not vacuous: a good share of the inputs went the fast way.
      expect(taken).toBeGreaterThan(numRuns / 20);
    },
    timeout,
  );

  it(
    'leaves decodePayload answering exactly what zod alone answers, for any JSON bytes',
    () => {
      const zodOnly = (json: unknown) => {
        const parsed = opPayloadSchema.safeParse(json);
        if (parsed.success) return { known: true, payload: parsed.data };
        const kind = typeof json === 'object' && json !== null && 'kind' in json ? String((json as { kind: unknown }).kind) : '(none)';
        return { known: false, kind };
      };
      fc.assert(
        fc.property(fc.oneof(payloadArb, edgedArb, brokenArb, fc.jsonValue({ maxDepth: 3 })), (input) => {
          const text = JSON.stringify(input);
          const decoded = decodePayload(new TextEncoder().encode(text));
          const reference = zodOnly(JSON.parse(text));
          expect(decoded).toStrictEqual(reference);
          if (decoded.known) expect(JSON.stringify(decoded.payload)).toBe(JSON.stringify(reference.payload));
        }),
        { seed, numRuns },
      );
    },
    timeout,
  );

  it('decides every bound and near miss as zod does, one at a time, with and without the optional keys', () => {
    const plain = { schema: 1, at: 1_764_000_000_000, by: 'Ana', kind: 'entry.add', entry: { id: uuid, kind: 'note', text: 'web-3 back', occurredAt: 1_764_000_000_000 } };
    const full = { ...plain, entry: { ...plain.entry, template: 't', alert: 'a', supersedes: uuid, retracts: uuid, redacts: uuid } };
    let taken = 0;
    for (const base of [plain, full]) {
      for (const edge of EDGES) {
        const input = withEdge(base, edge);
        const zod = opPayloadSchema.safeParse(input);
        const fast = entryPayloadFastPath(input);
        if (fast === undefined) continue;
        taken++;
        expect({ edge: edge[0], accepted: zod.success }).toStrictEqual({ edge: edge[0], accepted: true });
        expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
      }
    }
    expect(taken).toBeGreaterThan(EDGES.length / 4);
  });

  it('takes the fast path for ordinary entries, every optional key included', () => {
    const id = '0192f3a4-5b6c-7d8e-9f00-112233445566';
    const plain = { schema: 1, at: 1_764_000_000_000, by: 'Ana', kind: 'entry.add', entry: { id, kind: 'note', text: 'web-3 back', occurredAt: 1_764_000_000_000 } };
    const full = { ...plain, entry: { ...plain.entry, template: 't', alert: 'a', supersedes: id, retracts: id, redacts: id } };
    for (const payload of [plain, full]) {
      expect(entryPayloadFastPath(JSON.parse(JSON.stringify(payload)))).toStrictEqual(opPayloadSchema.parse(payload));
    }
    // Unusual but valid (an extra key zod strips; an uppercase uuid): left to zod, which accepts.
    for (const payload of [{ ...plain, extra: 1 }, { ...plain, entry: { ...plain.entry, id: id.toUpperCase() } }]) {
      expect(entryPayloadFastPath(payload)).toBeUndefined();
      expect(decodePayload(new TextEncoder().encode(JSON.stringify(payload)))).toStrictEqual({ known: true, payload: opPayloadSchema.parse(payload) });
    }
  });
});
