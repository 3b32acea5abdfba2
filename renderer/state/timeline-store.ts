/**
 * The timeline on screen: its filter, how many entries match, and the pages loaded so far. The list
 * is virtualised, so only the pages around what is visible are fetched (100,000 entries never cross
 * the api at once); a change to the incident reloads the pages that are loaded.
 */
import { createStore } from 'zustand/vanilla';
import type { TimelineEntryView } from '../../shared/model/views';
import type { ConsoleApi } from '../api/console-api';

export const TIMELINE_PAGE = 200;

export interface TimelineFilter {
  text: string;
  kinds: string[];
  authors: string[];
  starredOnly: boolean;
}

export const EMPTY_FILTER: TimelineFilter = { text: '', kinds: [], authors: [], starredOnly: false };

export interface TimelineState {
  incidentId: string | null;
  filter: TimelineFilter;
  total: number;
  /** Loaded pages by page number. */
  pages: ReadonlyMap<number, TimelineEntryView[]>;
  /** Bumped on every reload, so a stale answer is dropped. */
  generation: number;
  open(incidentId: string | null): Promise<void>;
  setFilter(filter: Partial<TimelineFilter>): Promise<void>;
  /** Makes sure the pages covering [first, last] are loaded. */
  ensureRange(first: number, last: number): Promise<void>;
  reload(): Promise<void>;
  entryAt(index: number): TimelineEntryView | undefined;
}

export const createTimelineStore = (api: ConsoleApi) =>
  createStore<TimelineState>()((set, get) => {
    const fetchPage = async (page: number, generation: number) => {
      const { incidentId, filter } = get();
      if (!incidentId) return;
      let result;
      try {
        result = await api.invoke('timeline.list', {
          incidentId,
          text: filter.text || undefined,
          kinds: filter.kinds.length ? (filter.kinds as never) : undefined,
          authors: filter.authors.length ? filter.authors : undefined,
          starred: filter.starredOnly ? true : undefined,
          offset: page * TIMELINE_PAGE,
          limit: TIMELINE_PAGE,
        });
      } catch {
        // An incident not here (yet: just joined, its ops still on the way) has no page to show; the
        // open incident's store says why, and the change that brings it reloads the timeline.
        return;
      }
      if (get().generation !== generation) return;
      const pages = new Map(get().pages);
      pages.set(page, result.entries);
      set({ pages, total: result.total });
    };

    return {
      incidentId: null,
      filter: EMPTY_FILTER,
      total: 0,
      pages: new Map(),
      generation: 0,
      async open(incidentId) {
        set({ incidentId, filter: EMPTY_FILTER, total: 0, pages: new Map(), generation: get().generation + 1 });
        await get().reload();
      },
      async setFilter(filter) {
        set({ filter: { ...get().filter, ...filter } });
        await get().reload();
      },
      async reload() {
        const loaded = [...get().pages.keys()];
        const generation = get().generation + 1;
        set({ generation, pages: new Map() });
        const wanted = loaded.length ? loaded : [0];
        await Promise.all(wanted.map((page) => fetchPage(page, generation)));
        // The last page matters most on a live incident: new entries land there.
        const lastPage = Math.max(0, Math.ceil(get().total / TIMELINE_PAGE) - 1);
        if (!get().pages.has(lastPage)) await fetchPage(lastPage, generation);
      },
      async ensureRange(first, last) {
        const { generation, pages } = get();
        const missing: number[] = [];
        for (let page = Math.floor(first / TIMELINE_PAGE); page <= Math.floor(Math.max(first, last) / TIMELINE_PAGE); page++) {
          if (!pages.has(page)) missing.push(page);
        }
        await Promise.all(missing.map((page) => fetchPage(page, generation)));
      },
      entryAt(index) {
        return get().pages.get(Math.floor(index / TIMELINE_PAGE))?.[index % TIMELINE_PAGE];
      },
    };
  });
