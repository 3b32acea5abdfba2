/**
 * The sync client authenticates the pages of a relay catch-up as pages and live ops one by one
 * (DESIGN.md §5 "Verification cost"): a fresh core joining through a real relay takes the backlog
 * through ingestPage, and an op that arrives live afterwards through ingestOp.
 */
import type { OpLogContext } from '../../../electron/core/op-log';
import * as opLog from '../../../electron/core/op-log';
import { MAX_PAGE_OPS } from '../../../shared/sync/protocol';
import { openCore, relayAddress, startTestRelay, status, waitFor } from '../sync/sync-harness';

vi.mock('../../../electron/core/op-log', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../electron/core/op-log')>();
  return { ...actual, ingestOp: vi.fn(actual.ingestOp), ingestPage: vi.fn(actual.ingestPage) };
});

const callsOf = (fn: unknown, ctx: OpLogContext) => vi.mocked(fn as typeof opLog.ingestOp).mock.calls.filter((call) => call[0] === ctx);
const pageCallsOf = (ctx: OpLogContext) => vi.mocked(opLog.ingestPage).mock.calls.filter((call) => call[0] === ctx);
const opCount = (ctx: OpLogContext, incidentId: string) =>
  (ctx.db.prepare('SELECT count(*) AS n FROM ops WHERE incident = ?').get(incidentId) as { n: number }).n;

test('a joining core takes the catch-up in pages verified as pages, then live ops one by one', async () => {
  const relay = await startTestRelay();
  const source = openCore(undefined, 'Alpha');
  const { incidentId } = source.call('incidents.declare', { title: 'Payments degraded', severity: 'P1' });
  const entries = 2 * MAX_PAGE_OPS + 100;
  source.context.db.transaction(() => {
    for (let i = 0; i < entries; i++) source.call('timeline.add', { incidentId, text: `entry ${i}` });
  })();
  const total = entries + 2;
  const { writeLink } = source.call('incidents.share', { incidentId, relay: relayAddress(relay) });
  await waitFor(() => status(source, incidentId).pendingOps === 0, 'the relay to hold every op of the source');

  const fresh = openCore(undefined, 'Bravo');
  fresh.call('incidents.join', { link: writeLink!, name: 'Bravo' });
  await waitFor(() => status(fresh, incidentId).state === 'live' && opCount(fresh.context, incidentId) >= total, 'the fresh core to catch up');

  const pages = pageCallsOf(fresh.context);
  expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(total / MAX_PAGE_OPS));
  expect(pages.reduce((n, call) => n + call[1].length, 0)).toBe(total);
  expect(callsOf(opLog.ingestOp, fresh.context)).toHaveLength(0);

  source.call('timeline.add', { incidentId, text: 'live after the catch-up' });
  await waitFor(
    () => fresh.call('timeline.list', { incidentId, text: 'live after the catch-up', limit: 10 }).entries.length === 1,
    'the live op to reach the fresh core',
  );
  expect(callsOf(opLog.ingestOp, fresh.context)).toHaveLength(1);
  expect(pageCallsOf(fresh.context)).toHaveLength(pages.length);
});
