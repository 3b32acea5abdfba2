/** The field a `sitrep://join/…` link is pasted into (joining, importing a bundle): one look, one placeholder. */
export function JoinLinkInput({ label, value, onChange }: { label: string; value: string; onChange: (link: string) => void }) {
  return (
    <label>
      {label}
      <input
        className="join-link-input"
        autoFocus
        required
        spellCheck={false}
        autoComplete="off"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder="sitrep://join/relay:port/incident#XXXX-XXXX-…"
      />
    </label>
  );
}
