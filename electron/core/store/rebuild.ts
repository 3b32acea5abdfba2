/**
 * `sitrep rebuild`: re-derive every materialised table from the op log.
 *
 * Invariants: runs in one transaction (a crash leaves the old tables); re-verifies every op's
 * signature, certificate and chain before applying it, so a tampered store fails loudly instead of
 * being rebuilt from forged ops; ops written by a newer Sitrep stay stored and unapplied; the result
 * equals the state built op by op, because materialising is order-free.
 */
import { SitrepError } from '../../../shared/errors';
import { decodePayload } from '../../../shared/model/op-payload';
import type { SyncCrypto } from '../../../shared/sync/crypto';
import { decodeOp, openOpPayload, verifyOp } from '../../../shared/sync/op-envelope';
import { OpError } from '../../../shared/sync/op-error';
import { prepared, type Db } from './database';
import { materialise } from './materialise';

const REBUILD_PAGE_OPS = 1_000;

/** Tables derived from the op log; the op log, devices, authorities, clock and settings stay. */
const DERIVED_TABLES = ['incidents', 'field_writes', 'field_values', 'people', 'roster', 'checklist', 'tasks', 'timeline', 'samples', 'source_polls'];

export interface RebuildReport {
  ops: number;
  applied: number;
  /** Ops kept but not understood by this version. */
  unknown: number;
  /** Ops of incidents this device holds no key for. */
  locked: number;
}

export function rebuildStore(db: Db, crypto: SyncCrypto, contentKeyOf: (incident: string) => Uint8Array | undefined): RebuildReport {
  return db.transaction(() => {
    for (const table of DERIVED_TABLES) db.prepare(`DELETE FROM ${table}`).run();
    const report: RebuildReport = { ops: 0, applied: 0, unknown: 0, locked: 0 };
    const authorities = new Map(
      (db.prepare('SELECT incident, write_authority_key FROM incident_authority').all() as { incident: string; write_authority_key: Uint8Array }[]).map(
        (r) => [r.incident, r.write_authority_key],
      ),
    );
    const heads = new Map<string, { publicKey: Uint8Array; hash: Uint8Array; seq: number }>();
    const setApplied = prepared(db, 'UPDATE ops SET applied = ?, kind = ? WHERE incident = ? AND device = ? AND seq = ?');
    type OpRow = { incident: string; device: string; seq: number; hash: Uint8Array; envelope: Uint8Array };
    // Paged, not iterated: better-sqlite3 cannot write on a connection while a statement iterates.
    const page = db.prepare(
      `SELECT incident, device, seq, hash, envelope FROM ops WHERE (incident, device, seq) > (?, ?, ?)
       ORDER BY incident, device, seq LIMIT ${REBUILD_PAGE_OPS}`,
    );
    function* allOps(): Generator<OpRow> {
      let after: [string, string, number] = ['', '', 0];
      for (;;) {
        const rows = page.all(...after) as OpRow[];
        if (rows.length === 0) return;
        yield* rows;
        const last = rows[rows.length - 1];
        after = [last.incident, last.device, last.seq];
      }
    }
    for (const row of allOps()) {
      report.ops++;
      const decoded = decodeOp(row.envelope);
      const h = decoded.header;
      const key = `${row.incident}/${row.device}`;
      const previous = heads.get(key);
      const publicKey = h.devicePublicKey ?? previous?.publicKey;
      const writeAuthority = authorities.get(row.incident);
      try {
        if (!publicKey || !writeAuthority || h.seq !== (previous?.seq ?? 0) + 1) {
          throw new OpError('bad-chain', `op ${row.device}:${row.seq} of incident ${row.incident} does not continue its chain`);
        }
        verifyOp(crypto, decoded, { devicePublicKey: publicKey, writeAuthorityPublicKey: writeAuthority, previousHash: previous?.hash ?? null });
      } catch (error) {
        if (error instanceof OpError) {
          throw new SitrepError('corrupt-database', `the op log does not verify (${error.code}): ${error.message}; nothing was rebuilt`, [error.code]);
        }
        throw error;
      }
      heads.set(key, { publicKey, hash: row.hash, seq: h.seq });
      if (h.type === 'genesis') continue;
      const contentKey = contentKeyOf(row.incident);
      if (!contentKey) {
        report.locked++;
        continue;
      }
      const understood = decodePayload(openOpPayload(crypto, decoded, contentKey));
      if (!understood.known) {
        report.unknown++;
        setApplied.run(0, understood.kind, row.incident, row.device, row.seq);
        continue;
      }
      materialise(db, { incident: row.incident, device: row.device, seq: row.seq, hlc: h.hlc }, understood.payload);
      setApplied.run(1, understood.payload.kind, row.incident, row.device, row.seq);
      report.applied++;
    }
    return report;
  })();
}
