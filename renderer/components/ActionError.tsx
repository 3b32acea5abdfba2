/** Why the core refused what the person just did, said beside the form or control they used. */
export function ActionError({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p role="alert" className="action-error">
      {error}
    </p>
  );
}
