/**
 * The small pure parts of the sync client: relay addresses as people type them, reconnect delays
 * (exponential backoff with full jitter, reset after a healthy connection) and presence expiry.
 */
import { Backoff } from '../../../electron/core/sync/backoff';
import { PresenceBook } from '../../../electron/core/sync/presence';
import { formatRelayAddress, parseRelayAddress, relayUrl } from '../../../electron/core/sync/relay-address';
import { SitrepError } from '../../../shared/errors';

describe('relay addresses', () => {
  it.each([
    ['relay.example.org:7443', { host: 'relay.example.org', port: 7443, tls: false }, 'relay.example.org:7443'],
    ['  10.0.0.5:9000 ', { host: '10.0.0.5', port: 9000, tls: false }, '10.0.0.5:9000'],
    ['ws://War-Room:8080/', { host: 'war-room', port: 8080, tls: false }, 'war-room:8080'],
    ['wss://relay.example.org:443', { host: 'relay.example.org', port: 443, tls: true }, 'wss://relay.example.org:443'],
    ['[::1]:9000', { host: '::1', port: 9000, tls: false }, '[::1]:9000'],
  ])('%s', (text, address, shown) => {
    expect(parseRelayAddress(text)).toEqual(address);
    expect(formatRelayAddress(address)).toBe(shown);
    expect(parseRelayAddress(formatRelayAddress(address))).toEqual(address);
  });

  it.each(['relay.example.org', 'http://relay:80', 'ws://relay:80/path', 'user@relay:80', 'relay:0', 'relay:70000', 'relay:80?x'])('refuses %s', (text) => {
    let error: unknown;
    try {
      parseRelayAddress(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SitrepError);
    expect((error as SitrepError).code).toBe('invalid-argument');
  });

  it('dials ws or wss', () => {
    expect(relayUrl({ host: '::1', port: 9, tls: false })).toBe('ws://[::1]:9/');
    expect(relayUrl({ host: 'relay', port: 443, tls: true })).toBe('wss://relay:443/');
  });
});

describe('reconnect backoff', () => {
  it('waits a uniformly random time up to min(cap, base·2^n), and starts over after a reset', () => {
    const timings = { backoffBaseMs: 500, backoffCapMs: 30_000 };
    const highest = new Backoff(timings, () => 0.999_999);
    expect(Array.from({ length: 9 }, () => highest.next())).toEqual([499, 999, 1_999, 3_999, 7_999, 15_999, 29_999, 29_999, 29_999]);
    highest.reset();
    expect(highest.next()).toBe(499);
    const lowest = new Backoff(timings, () => 0);
    expect([lowest.next(), lowest.next(), lowest.next()]).toEqual([0, 0, 0]);
  });
});

describe('presence', () => {
  it('lists devices heard from within the time to live, by name, and forgets the rest', () => {
    let t = 1_000;
    const book = new PresenceBook(30_000, () => t);
    book.hear('b'.repeat(32), { name: 'Bea', clockOffsetMs: 90_000 }, 5);
    book.hear('a'.repeat(32), { name: 'Ana', clockOffsetMs: null }, 6);
    expect(book.online().map((d) => d.name)).toEqual(['Ana', 'Bea']);
    expect(book.clockOffsets()).toEqual(new Map([['b'.repeat(32), 90_000]]));
    t += 30_000;
    expect(book.online()).toEqual([]);
  });
});
