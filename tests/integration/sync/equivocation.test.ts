/**
 * Invariant: chains intact. A device that signed two different ops at one seq (here: a copy of
 * its folder that wrote on its own, whose op reached Bea by hand) is an equivocator: Bea raises
 * an alarm, keeps both ops as evidence, and applies nothing more of that device past the fork.
 */
import { entryTexts, openCore, stageEquivocation, startTestRelay, status, waitFor } from './sync-harness';

describe('another device that equivocates', () => {
  it('raises an alarm, keeps both ops as evidence and stops applying that device past the fork', async () => {
    const relay = await startTestRelay();
    const { incidentId, ana, eve, beaDir } = await stageEquivocation(relay);
    const eveId = eve.deviceId;
    const bea = openCore(beaDir);
    await waitFor(() => status(bea, incidentId).alarms.some((a) => a.includes(`Device ${eveId} signed two different ops`)), "Bea's alarm");

    const evidence = bea.context.db.prepare('SELECT held_envelope, offered_envelope FROM equivocations WHERE device = ?').all(eveId) as {
      held_envelope: Uint8Array | null;
      offered_envelope: Uint8Array | null;
    }[];
    expect(evidence).toHaveLength(1);
    expect(evidence[0].held_envelope).not.toBeNull();
    expect(evidence[0].offered_envelope).not.toBeNull();

    await eve.invoke('timeline.add', { incidentId, text: 'Eve carries on' });
    ana.call('timeline.add', { incidentId, text: 'Ana carries on' });
    await waitFor(() => entryTexts(bea, incidentId).includes('Ana carries on'), "Ana's later op to reach Bea");
    await waitFor(() => entryTexts(ana, incidentId).includes('Eve carries on'), "Eve's later op to reach Ana");
    expect(entryTexts(bea, incidentId)).not.toContain('Eve carries on');
    expect(entryTexts(bea, incidentId)).not.toContain('the real Eve');
  });
});
