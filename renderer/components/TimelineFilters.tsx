import { useEffect, useMemo, useState } from 'react';
import { entryCount, KIND_LABELS, TIMELINE_KINDS, type TimelineKind } from '../format/entry-kind';
import { useOpenIncident, useStores, useTimeline } from '../state/console-stores';

/** Typing pauses this long before the search runs, so each keystroke does not query 100,000 entries. */
export const SEARCH_DEBOUNCE_MS = 150;

/**
 * Narrowing the timeline: text search, kinds (none ticked shows every kind), one author, starred
 * only; and how many entries match.
 */
export function TimelineFilters() {
  const { timeline } = useStores();
  const filter = useTimeline((s) => s.filter);
  const total = useTimeline((s) => s.total);
  const pages = useTimeline((s) => s.pages);
  const people = useOpenIncident((s) => s.roster?.people);
  const [search, setSearch] = useState(filter.text);

  useEffect(() => {
    if (search === timeline.getState().filter.text) return;
    const timer = setTimeout(() => void timeline.getState().setFilter({ text: search }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search, timeline]);

  // Who wrote the entries loaded so far, everyone on the roster, and whoever is chosen now.
  const authors = useMemo(() => {
    const names = new Set<string>(filter.authors);
    for (const entries of pages.values()) for (const entry of entries) names.add(entry.by);
    for (const person of people ?? []) if (!person.removed) names.add(person.name);
    return [...names].sort((a, b) => a.localeCompare(b));
  }, [pages, people, filter.authors]);

  const toggleKind = (kind: TimelineKind, ticked: boolean) => {
    const kinds = ticked ? [...filter.kinds, kind] : filter.kinds.filter((k) => k !== kind);
    void timeline.getState().setFilter({ kinds: TIMELINE_KINDS.filter((k) => kinds.includes(k)) });
  };

  const narrowed = filter.text !== '' || filter.kinds.length > 0 || filter.authors.length > 0 || filter.starredOnly;

  return (
    <form className="timeline-filters" role="search" aria-label="Timeline filters" onSubmit={(e) => e.preventDefault()}>
      <div className="timeline-filter-row">
        <input
          type="search"
          className="timeline-search"
          aria-label="Search the timeline"
          placeholder="Search the timeline"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <label className="inline">
          Author
          <select
            value={filter.authors[0] ?? ''}
            onChange={(e) => void timeline.getState().setFilter({ authors: e.target.value ? [e.target.value] : [] })}
          >
            <option value="">everyone</option>
            {authors.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          <input
            type="checkbox"
            checked={filter.starredOnly}
            onChange={(e) => void timeline.getState().setFilter({ starredOnly: e.target.checked })}
          />
          Starred only
        </label>
        <p className="timeline-count" role="status">
          {narrowed ? `${entryCount(total)} ${total === 1 ? 'matches' : 'match'}` : entryCount(total)}
        </p>
      </div>
      <fieldset className="timeline-kinds">
        <legend>Kinds {filter.kinds.length === 0 && <span className="muted">(all)</span>}</legend>
        {TIMELINE_KINDS.map((kind) => (
          <label key={kind} className="inline">
            <input type="checkbox" checked={filter.kinds.includes(kind)} onChange={(e) => toggleKind(kind, e.target.checked)} />
            {KIND_LABELS[kind]}
          </label>
        ))}
      </fieldset>
    </form>
  );
}
