import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { TimelineEntryView } from '../../shared/model/views';
import type { ConsoleApi } from '../api/console-api';
import { entryCount } from '../format/entry-kind';
import { useApi, useCanWrite, useStores, useTimeline } from '../state/console-stores';
import { TIMELINE_PAGE } from '../state/timeline-store';
import { QuickEntry } from './QuickEntry';
import { TimelineEntry, type EntryEdit } from './TimelineEntry';
import { TimelineFilters } from './TimelineFilters';
import '../styles/timeline.css';

/** A row's height before it is measured: one line of meta, one of text. */
const ROW_ESTIMATE_PX = 64;
/** Rows rendered beyond each edge of the viewport, so a quick scroll does not show blanks. */
const OVERSCAN_ROWS = 8;
/** Within this of the bottom counts as "at the bottom": new entries are followed. */
const FOLLOW_SLACK_PX = 48;
/** Retractions and redactions are few; they are fetched whole, this many per call. */
const CORRECTIONS_PAGE = 1000;
/** How long an entry reached through "amended" (or the like) stays highlighted. */
const HIGHLIGHT_MS = 4_000;

type Pages = ReadonlyMap<number, TimelineEntryView[]>;

const entryAt = (pages: Pages, index: number): TimelineEntryView | undefined =>
  pages.get(Math.floor(index / TIMELINE_PAGE))?.[index % TIMELINE_PAGE];

/**
 * The loaded pages, keeping those of the previous load on screen while a reload of the same list
 * is in flight: a change anywhere in the incident reloads the timeline, and rows must not blink to
 * placeholders (nor an open amendment lose its field) each time.
 */
function useSteadyPages(): Pages {
  const pages = useTimeline((s) => s.pages);
  const filter = useTimeline((s) => s.filter);
  const incidentId = useTimeline((s) => s.incidentId);
  const [steady, setSteady] = useState({ pages, filter, incidentId, shown: pages });
  if (steady.pages === pages && steady.filter === filter && steady.incidentId === incidentId) return steady.shown;
  const sameList = steady.filter === filter && steady.incidentId === incidentId;
  const shown: Pages = sameList ? new Map([...steady.shown, ...pages]) : pages;
  setSteady({ pages, filter, incidentId, shown });
  return shown;
}

/**
 * The retractions and redactions that the loaded entries point at, by id: a retracted or redacted
 * entry shows the reason, who and when, even when the correction itself is filtered out or on a
 * page not loaded. Fetched (all of them: they are few) only when an entry points at one not held.
 */
function useCorrections(api: ConsoleApi, incidentId: string | null, pages: Pages): ReadonlyMap<string, TimelineEntryView> {
  const [corrections, setCorrections] = useState<ReadonlyMap<string, TimelineEntryView>>(new Map());
  const missing = new Set<string>();
  for (const entries of pages.values()) {
    for (const entry of entries) {
      for (const id of [entry.retractedBy, entry.redactedBy]) if (id && !corrections.has(id)) missing.add(id);
    }
  }
  const wanted = [...missing].sort().join(' ');

  useEffect(() => {
    if (!incidentId || !wanted) return;
    let current = true;
    const load = async () => {
      const found = new Map<string, TimelineEntryView>();
      for (let offset = 0; ; offset += CORRECTIONS_PAGE) {
        const page = await api.invoke('timeline.list', { incidentId, kinds: ['retraction', 'redaction'], offset, limit: CORRECTIONS_PAGE });
        for (const entry of page.entries) found.set(entry.id, entry);
        if (offset + CORRECTIONS_PAGE >= page.total) break;
      }
      if (current) setCorrections(found);
    };
    // On failure the marks read "[redacted]" and "retracted: …"; a redacted text stays hidden either way.
    load().catch(() => undefined);
    return () => {
      current = false;
    };
  }, [api, incidentId, wanted]);
  return corrections;
}

/**
 * The incident's timeline: filters, then every matching entry in display order with the newest at
 * the bottom, then the quick entry. Virtualised: only the rows in view (and a few beyond) are in the
 * DOM and only their pages are fetched, so 100,000 entries scroll like 100. Scrolled to the bottom,
 * it follows new entries; scrolled up, it stays put.
 */
export function Timeline() {
  const api = useApi();
  const { timeline, notices } = useStores();
  const canWrite = useCanWrite();
  const incidentId = useTimeline((s) => s.incidentId);
  const filter = useTimeline((s) => s.filter);
  const total = useTimeline((s) => s.total);
  const generation = useTimeline((s) => s.generation);
  const loaded = useTimeline((s) => s.pages.size > 0);
  const pages = useSteadyPages();
  const corrections = useCorrections(api, incidentId, pages);
  const [edit, setEdit] = useState<EntryEdit | null>(null);
  const [highlighted, setHighlighted] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_ESTIMATE_PX,
    overscan: OVERSCAN_ROWS,
  });
  const rows = virtualizer.getVirtualItems();
  const first = rows.length ? rows[0].index : 0;
  const last = rows.length ? rows[rows.length - 1].index : -1;

  useEffect(() => {
    if (last >= 0) void timeline.getState().ensureRange(first, last);
  }, [first, last, generation, timeline]);

  // A new list (another incident, another filter) opens at its newest entries.
  useEffect(() => {
    following.current = true;
  }, [incidentId, filter]);

  useEffect(() => {
    if (following.current && total > 0) virtualizer.scrollToIndex(total - 1, { align: 'end' });
  }, [total, incidentId, filter, virtualizer]);

  useEffect(() => {
    if (!highlighted) return;
    const timer = setTimeout(() => setHighlighted(null), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [highlighted]);

  const onScroll = () => {
    const el = scroller.current;
    if (el) following.current = el.scrollHeight - el.scrollTop - el.clientHeight <= FOLLOW_SLACK_PX;
  };

  const showEntry = (entryId: string) => {
    let index: number | undefined;
    for (const [page, entries] of pages) {
      const at = entries.findIndex((e) => e.id === entryId);
      if (at >= 0) index = page * TIMELINE_PAGE + at;
    }
    if (index === undefined) {
      notices.getState().push('info', 'That entry is not in the list shown: clear the filters to see it.');
      return;
    }
    following.current = false;
    virtualizer.scrollToIndex(index, { align: 'center' });
    setHighlighted(entryId);
  };

  const narrowed = filter.text !== '' || filter.kinds.length > 0 || filter.authors.length > 0 || filter.starredOnly;
  const waiting = rows.some((row) => !entryAt(pages, row.index));

  return (
    <div className="timeline">
      <h2 className="timeline-title">Timeline</h2>
      <TimelineFilters key={incidentId ?? ''} />
      <div ref={scroller} className="timeline-scroller" onScroll={onScroll}>
        <div
          // A feed must own articles; an empty timeline is just an empty box.
          role={rows.length > 0 ? 'feed' : undefined}
          aria-label={rows.length > 0 ? 'Timeline entries' : undefined}
          aria-busy={rows.length > 0 ? waiting : undefined}
          className="timeline-feed"
          style={{ height: virtualizer.getTotalSize() }}
        >
          {rows.map((row) => {
            const entry = entryAt(pages, row.index);
            return (
              <div
                key={row.key}
                data-index={row.index}
                ref={virtualizer.measureElement}
                className="timeline-row"
                style={{ transform: `translateY(${row.start}px)` }}
              >
                {entry ? (
                  <TimelineEntry
                    key={entry.id}
                    entry={entry}
                    position={row.index + 1}
                    setSize={total}
                    corrections={corrections}
                    canWrite={canWrite}
                    edit={edit?.entryId === entry.id ? edit : null}
                    onEdit={setEdit}
                    highlighted={highlighted === entry.id}
                    onShowEntry={showEntry}
                  />
                ) : (
                  <div className="timeline-placeholder" aria-hidden="true" />
                )}
              </div>
            );
          })}
        </div>
        {loaded && total === 0 && (
          <p className="empty">{narrowed ? `${entryCount(0)} match the filters.` : 'Nothing on the timeline yet.'}</p>
        )}
      </div>
      {canWrite && (
        <QuickEntry
          onRecorded={() => {
            following.current = true;
          }}
        />
      )}
    </div>
  );
}
