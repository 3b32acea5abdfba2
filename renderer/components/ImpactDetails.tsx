import type { Impact, IncidentState } from '../../shared/model/incident';
import { useAction, useApi, useCanWrite } from '../state/console-stores';

const IMPACT_FIELDS: Array<{ key: keyof Impact; label: string; hint: string }> = [
  { key: 'users', label: 'Users impact', hint: 'Number of affected users' },
  { key: 'data', label: 'Data impact', hint: 'What data was compromised/affected' },
  { key: 'business', label: 'Business impact', hint: 'Revenue/financial impact' },
  { key: 'compliance', label: 'Compliance impact', hint: 'GDPR/HIPAA violations' },
];

/**
 * The header's detail: the incident's impact (the seed's 3.2 Impact Assessment: users, data,
 * business, compliance), each saved when the field loses focus, changed elsewhere shown at once.
 */
export function ImpactDetails({ state }: { state: IncidentState }) {
  const api = useApi();
  const act = useAction();
  const canWrite = useCanWrite();
  const recorded = IMPACT_FIELDS.filter((f) => state.impact[f.key]).length;

  return (
    <details className="impact-details">
      <summary>
        Impact <span className="muted">({recorded} of {IMPACT_FIELDS.length} recorded)</span>
      </summary>
      <div className="impact-fields">
        {IMPACT_FIELDS.map(({ key, label, hint }) =>
          canWrite ? (
            <label key={key}>
              {label}
              <textarea
                // A value changed elsewhere replaces what the field shows.
                key={state.impact[key]}
                defaultValue={state.impact[key]}
                placeholder={hint}
                rows={2}
                onBlur={(e) => {
                  const value = e.currentTarget.value.trim();
                  if (value !== state.impact[key]) void act(() => api.invoke('incidents.setField', { incidentId: state.id, field: `impact.${key}`, value }));
                }}
              />
            </label>
          ) : (
            <div key={key} className="impact-field">
              <span className="clock-label">{label}</span> {state.impact[key] || <span className="muted">not recorded</span>}
            </div>
          ),
        )}
      </div>
    </details>
  );
}
