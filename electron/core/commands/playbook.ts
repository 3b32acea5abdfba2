/**
 * The playbook new incidents are declared with: the seed's by default, or one loaded from a file.
 * Local to this device (a setting, not an op); an incident pins its own copy when declared, so
 * loading another never changes a running incident. An invalid file is refused with every bad
 * field's path, and the previous playbook stays.
 */
import { SitrepError } from '../../../shared/errors';
import type { ActivePlaybook } from '../../../shared/model/views';
import { DEFAULT_PLAYBOOK } from '../../../shared/playbook/default-playbook';
import { parsePlaybook, parsePlaybookJson } from '../../../shared/playbook/parse-playbook';
import { prepared, type Db } from '../store/database';

const SETTING = 'playbook.active';
export const DEFAULT_ORIGIN = 'default';

export function activePlaybook(db: Db): ActivePlaybook {
  const row = prepared(db, 'SELECT value FROM settings WHERE key = ?').get(SETTING) as { value: string } | undefined;
  if (!row) return { playbook: DEFAULT_PLAYBOOK, origin: DEFAULT_ORIGIN };
  const stored = JSON.parse(row.value) as { origin: string; playbook: unknown };
  const parsed = parsePlaybook(stored.playbook);
  // A stored playbook this build no longer accepts falls back to the default rather than blocking declares.
  return parsed.ok ? { playbook: parsed.playbook, origin: stored.origin } : { playbook: DEFAULT_PLAYBOOK, origin: DEFAULT_ORIGIN };
}

export function loadPlaybook(db: Db, fileName: string, text: string): ActivePlaybook {
  const parsed = parsePlaybookJson(text, fileName);
  if (!parsed.ok) {
    throw new SitrepError(
      'invalid-playbook',
      `${fileName} is not a valid playbook (${parsed.errors.length} problem${parsed.errors.length === 1 ? '' : 's'}); the previous playbook stays active`,
      parsed.errors,
    );
  }
  prepared(db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    SETTING,
    JSON.stringify({ origin: fileName, playbook: parsed.playbook }),
  );
  return { playbook: parsed.playbook, origin: fileName };
}

export function resetPlaybook(db: Db): ActivePlaybook {
  prepared(db, 'DELETE FROM settings WHERE key = ?').run(SETTING);
  return activePlaybook(db);
}
