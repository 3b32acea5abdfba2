/** Messages for the person at the console: a refused action's reason, a copied message. */
import { createStore } from 'zustand/vanilla';

export interface Notice {
  id: number;
  tone: 'error' | 'info';
  text: string;
}

export interface NoticeState {
  notices: Notice[];
  push(tone: Notice['tone'], text: string): void;
  dismiss(id: number): void;
}

export const NOTICE_LIMIT = 4;

export const createNoticeStore = () => {
  let nextId = 1;
  return createStore<NoticeState>()((set) => ({
    notices: [],
    push: (tone, text) => set((s) => ({ notices: [...s.notices, { id: nextId++, tone, text }].slice(-NOTICE_LIMIT) })),
    dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  }));
};
