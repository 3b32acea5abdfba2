import { useNotices } from '../state/console-stores';

/** Refusals and confirmations, announced to screen readers, dismissable. */
export function Notices() {
  const notices = useNotices((s) => s.notices);
  const dismiss = useNotices((s) => s.dismiss);
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} role={n.tone === 'error' ? 'alert' : 'status'} className={`notice notice-${n.tone}`}>
          <span>{n.text}</span>
          <button type="button" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
