/** The incident's metric alerts, every one of them (decided or not): the pure rule of shared/model/incident-alerts on the stored samples and polls. */
import { evaluateIncidentAlerts, type IncidentAlert } from '../../../shared/model/incident-alerts';
import type { Db } from '../store/database';
import { declarationOf } from './incidents';
import { listSamples } from './samples';
import { sourceConfigs, sourceStatus } from './sources';

export function incidentAlerts(db: Db, incident: string): IncidentAlert[] {
  const { playbook } = declarationOf(db, incident);
  const sources = sourceConfigs(db, incident).map(({ id, config }) => ({ id, config, status: sourceStatus(db, incident, id) }));
  return evaluateIncidentAlerts(listSamples(db, incident, {}), sources, playbook);
}
