/**
 * jsdom setup for component tests: jest-dom matchers, and stand-ins for the browser APIs jsdom
 * lacks (ResizeObserver, clipboard, Notification, layout sizes for the virtual list). Their real
 * behaviour is checked in Chromium by the end-to-end tests.
 */
import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';

afterEach(() => cleanup());

// waitFor and findBy poll for a condition; the default 1 s limit is a timing assumption that a real
// core, a relay round trip or a loaded 2-core CI machine can miss. A generous limit waits no longer
// when the condition holds early.
configure({ asyncUtilTimeout: 10_000 });

class ResizeObserverStandIn {
  private readonly callback: ResizeObserverCallback;
  constructor(callback: ResizeObserverCallback) {
    this.callback = callback;
  }
  observe(target: Element) {
    const rect = { width: 1000, height: 800, top: 0, left: 0, right: 1000, bottom: 800, x: 0, y: 0 } as DOMRectReadOnly;
    this.callback([{ target, contentRect: rect, borderBoxSize: [{ inlineSize: 1000, blockSize: 800 }] } as unknown as ResizeObserverEntry], this as never);
  }
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= ResizeObserverStandIn as unknown as typeof ResizeObserver;

// jsdom does no layout: give elements a size so virtualised lists render a window of rows.
Object.defineProperties(HTMLElement.prototype, {
  offsetHeight: { configurable: true, get: () => 800 },
  offsetWidth: { configurable: true, get: () => 1000 },
  clientHeight: { configurable: true, get: () => 800 },
  clientWidth: { configurable: true, get: () => 1000 },
});

if (!navigator.clipboard) {
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: { writeText: vi.fn(async () => undefined), readText: vi.fn(async () => '') },
  });
}

if (!('Notification' in globalThis)) {
  class NotificationStandIn {
    static permission: NotificationPermission = 'granted';
    static requestPermission = vi.fn(async () => 'granted' as NotificationPermission);
    static shown: Array<{ title: string; options?: NotificationOptions }> = [];
    constructor(title: string, options?: NotificationOptions) {
      NotificationStandIn.shown.push({ title, options });
    }
    close() {}
  }
  Object.defineProperty(globalThis, 'Notification', { configurable: true, value: NotificationStandIn });
}

window.scrollTo = () => {};
Element.prototype.scrollTo = function scrollTo() {};
Element.prototype.scrollIntoView = function scrollIntoView() {};
