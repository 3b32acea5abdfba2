/**
 * What catch-up does to be fast must not change what it stores: ops handed on already parsed by
 * the sync client's planning are still judged by their own bytes, a page moves the HLC exactly as
 * the same ops taken one by one would, and entries taken in by a page are found by search.
 */
import { nodeCrypto as c } from '../../../electron/crypto';
import type { Core } from '../../../electron/core/core';
import { prepared } from '../../../electron/core/store/database';
import { SitrepError } from '../../../shared/errors';
import { decodeOp, opHash } from '../../../shared/sync/op-envelope';
import { opsOf, T0, testCore, type TestCore } from '../../support/cores';
import { flipBit } from '../../support/op-delivery';

/** Where the ciphertext of a seq > 1 op starts: after the fixed header, nonce and length. */
const CIPHERTEXT_AT = 86 + 12 + 4;

let alpha: TestCore;
let incidentId: string;
let ops: Uint8Array[];

beforeAll(() => {
  alpha = testCore({ name: 'Alpha', start: T0 });
  ({ incidentId } = alpha.core.call('incidents.declare', { title: 'Checkout errors', severity: 'P1' }));
  for (let i = 1; i <= 20; i++) {
    alpha.clock.advance(1_000);
    alpha.core.call('timeline.add', { incidentId, text: `entry ${i}: restarted web-${i}` });
  }
  alpha.core.call('incidents.setField', { incidentId, field: 'severity', value: 'P0' });
  ops = opsOf(alpha.core, incidentId);
});

/** A fresh store holding the incident's secret, its clock `skewMs` away from the author's. */
function fresh(skewMs = 0): TestCore {
  const bravo = testCore({ name: 'Bravo', start: T0 + skewMs });
  const secret = alpha.core.context.keys.incidentSecret(incidentId)!;
  bravo.core.context.keys.putIncidentSecret(incidentId, secret.access, secret.secret);
  return bravo;
}

const parse = (bytes: Uint8Array) => ({ decoded: decodeOp(bytes), hash: opHash(c, bytes) });
const held = (core: Core) => prepared(core.context.db, 'SELECT device, seq, hash FROM ops WHERE incident = ? ORDER BY rowid').all(incidentId);
const clockOf = (core: Core) => prepared(core.context.db, 'SELECT hlc_ms, hlc_counter FROM clock').get();

test('an op handed on parsed from other bytes is judged by its own bytes', () => {
  const { core } = fresh();
  const forged = flipBit(ops[5], CIPHERTEXT_AT);
  // The forged op, with the parse of the genuine one beside it: refused, nothing of the page stored.
  const page = [...ops.slice(0, 5), forged, ...ops.slice(6)];
  let refusal: unknown;
  try {
    core.ingest(page, undefined, { verify: 'page', parsed: ops.map(parse) });
  } catch (error) {
    refusal = error;
  }
  expect(refusal).toBeInstanceOf(SitrepError);
  expect((refusal as SitrepError).code).toBe('op-rejected');
  expect(held(core)).toEqual([]);
  // The genuine ops, with the parse of the forged one beside them: taken, as the genuine ops.
  const misleading = ops.map(parse);
  misleading[5] = parse(forged);
  expect(core.ingest(ops, undefined, { verify: 'page', parsed: misleading })).toBe(ops.length);
  expect(held(core)).toEqual(held(alpha.core));
});

test('a page moves the clock as the same ops taken one by one do, ahead of the local clock or not', () => {
  for (const skewMs of [-3_600_000, 0, 3_600_000]) {
    const byPage = fresh(skewMs);
    const oneByOne = fresh(skewMs);
    byPage.core.ingest(ops, undefined, { verify: 'page' });
    for (const op of ops) oneByOne.core.ingest([op]);
    expect(clockOf(byPage.core)).toEqual(clockOf(oneByOne.core));
    expect(held(byPage.core)).toEqual(held(oneByOne.core));
  }
});

test('entries and changes taken in by a page are found by search', () => {
  const { core } = fresh();
  core.ingest(ops, undefined, { verify: 'page' });
  expect(core.call('timeline.list', { incidentId, text: 'web-17' }).entries.map((e) => e.text)).toEqual(['entry 17: restarted web-17']);
  expect(core.call('timeline.list', { incidentId, text: 'RESTARTED' }).total).toBe(20);
  expect(core.call('timeline.list', { incidentId, text: 'severity' }).entries.map((e) => e.source)).toEqual(['system']);
});
