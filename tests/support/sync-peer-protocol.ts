/** What a test asks of a teammate's console process (tests/support/sync-peer-process.ts). */
import type { ApiMethod } from '../../shared/api';

export type PeerRequest =
  | { type: 'invoke'; method: ApiMethod; args: unknown }
  /** Notes "<prefix> 0" … "<prefix> count-1", one command each; answers with the count once all are committed. */
  | { type: 'write-notes'; incidentId: string; prefix: string; count: number }
  /** The replicated incident as JSON text (electron/core/queries/replicated-state.ts). */
  | { type: 'replicated'; incidentId: string }
  /** Every way a held chain is broken (a gap, a bad hash, a bad link, a head that is not its last op): [] when intact. */
  | { type: 'chain-problems'; incidentId: string }
  /** What the relay acknowledged holding, per device, as this console recorded it. */
  | { type: 'relay-heads'; incidentId: string }
  /** The seq of this console's own last op in the incident. */
  | { type: 'own-seq'; incidentId: string };
