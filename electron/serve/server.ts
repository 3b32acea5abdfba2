/**
 * Browser mode (`sitrep serve`, DESIGN.md §3): the same core in Node, the built UI on
 * http://127.0.0.1:PORT/, and a printed URL carrying a random token.
 *
 * Invariants: listens on loopback unless --host is given; beyond loopback without TLS it admits only
 * the read-only view (a write session needs a loopback address or TLS); every HTTP request and the
 * api WebSocket need a session cookie obtained by exchanging a token; other Host headers are
 * refused; close() stops accepting, closes every socket and then the core (which releases the
 * writer lock and the database).
 */
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { chromiumPdfPrinter } from '../core/chromium-pdf';
import { createCore, type Core, type CoreOptions } from '../core/core';
import { createApiSocket } from './api-socket';
import { allowedHosts, hostAllowed, isLoopbackAddress, type ServedHost } from './request-guard';
import { createSessions, readSessionCookie, sessionCookie, type Access } from './sessions';
import { securityHeaders, serveStatic } from './static-files';

export interface ServeOptions {
  dataDir: string;
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Listen beyond loopback on this address/name. */
  host?: string;
  tlsCert?: string;
  tlsKey?: string;
  testClock: boolean;
  /** Scheduled backups (core.ts CoreOptions.backups); the core's default when absent. */
  backups?: CoreOptions['backups'];
}

export interface RunningServe {
  /** The commander's URL: read and write. */
  writeUrl: string;
  /** The wall display's URL: read only. */
  readUrl: string;
  /** Present with --test-clock: the token the set-clock frame needs. */
  testClockToken?: string;
  port: number;
  core: Core;
  warnings: string[];
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

function page(res: ServerResponse, status: number, title: string, text: string): void {
  const body = `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;padding:2rem"><h1>${title}</h1><p>${text}</p>`;
  res.writeHead(status, { ...securityHeaders(), 'Content-Type': 'text/html; charset=utf-8' });
  res.end(body);
}

export async function startServe(o: ServeOptions): Promise<RunningServe> {
  if ((o.tlsCert === undefined) !== (o.tlsKey === undefined)) throw new TypeError('--tls-cert and --tls-key go together');
  if (!fs.existsSync(`${o.rendererDir}/index.html`)) throw new TypeError(`the UI is not built: ${o.rendererDir}/index.html is missing`);
  const secure = o.tlsCert !== undefined;
  let clockOverride: number | undefined;
  // A PDF export is the HTML export printed by Debian's Chromium on this machine.
  const core = createCore({ dataDir: o.dataDir, now: () => clockOverride ?? Date.now(), backups: o.backups, printPdf: chromiumPdfPrinter() });
  const sessions = createSessions();
  const warnings: string[] = [];
  const beyondLoopback = o.host !== undefined && !isLoopbackAddress(o.host) && o.host !== 'localhost';
  if (beyondLoopback && !secure) {
    warnings.push(
      `listening on ${o.host} over plain HTTP: the incident travels unencrypted, and only the read-only view is served beyond this machine (give --tls-cert and --tls-key to change that)`,
    );
  }

  /** Writing from another machine needs TLS; from this machine it is always allowed. */
  const effectiveAccess = (req: IncomingMessage, access: Access | undefined): Access | undefined =>
    access === 'write' && !secure && !isLoopbackAddress(req.socket.remoteAddress) ? undefined : access;

  // Wildcard addresses are reached by this machine's name, so that is the name the read URL uses.
  const wildcard = o.host === '0.0.0.0' || o.host === '::';
  const publicName = beyondLoopback ? (wildcard ? os.hostname() : o.host) : undefined;
  const served: ServedHost = { port: 0, extraHost: publicName, secure };
  let hosts = new Set<string>();

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req.headers.host, hosts)) return page(res, 421, 'Wrong address', 'This Sitrep console does not answer to that host name.');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const token = url.searchParams.get('token');
    if (token !== null) {
      const session = sessions.exchange(token);
      if (!session || !effectiveAccess(req, session.access)) {
        return page(res, 401, 'Link not valid', 'This link is not valid for this Sitrep console (it changes each time the console starts).');
      }
      url.searchParams.delete('token');
      res.writeHead(302, { ...securityHeaders(), 'Set-Cookie': sessionCookie(session.id, secure), Location: `${url.pathname}${url.search}` });
      return res.end();
    }
    if (!effectiveAccess(req, sessions.accessOf(readSessionCookie(req.headers.cookie)))) {
      return page(res, 401, 'Sign-in link needed', 'Open the link that <code>sitrep serve</code> printed when it started.');
    }
    serveStatic(o.rendererDir, url.pathname, res);
  };

  const newServer = () =>
    secure && o.tlsCert && o.tlsKey
      ? https.createServer({ cert: fs.readFileSync(o.tlsCert), key: fs.readFileSync(o.tlsKey) }, onRequest)
      : http.createServer(onRequest);
  // Beyond loopback on one address, a second listener on 127.0.0.1 (same port) keeps the
  // commander's own write session on this machine.
  const servers = [newServer(), ...(beyondLoopback && !wildcard ? [newServer()] : [])];
  const apiSocket = createApiSocket({
    core,
    sessions,
    served,
    get allowedHosts() {
      return hosts;
    },
    effectiveAccess,
    setClock: o.testClock ? (now) => void (clockOverride = now) : undefined,
  });
  for (const server of servers) server.on('upgrade', (req, socket, head) => apiSocket.handleUpgrade(req, socket, head));
  const listen = (server: http.Server, port: number, address: string) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, address, () => resolve());
    });
  let port: number;
  try {
    await listen(servers[0], o.port, beyondLoopback ? (o.host as string) : LOOPBACK);
    port = (servers[0].address() as AddressInfo).port;
    if (servers[1]) await listen(servers[1], port, LOOPBACK);
  } catch (error) {
    for (const server of servers) server.close();
    core.close();
    throw error;
  }
  served.port = port;
  hosts = allowedHosts(served);
  const scheme = secure ? 'https' : 'http';
  const writeHost = secure && publicName ? publicName : LOOPBACK;
  const readHost = publicName ?? LOOPBACK;

  let closing: Promise<void> | undefined;
  return {
    writeUrl: `${scheme}://${writeHost}:${port}/?token=${sessions.writeToken}`,
    readUrl: `${scheme}://${readHost}:${port}/?token=${sessions.readToken}#/wall`,
    testClockToken: o.testClock ? sessions.testClockToken : undefined,
    port,
    core,
    warnings,
    close() {
      closing ??= (async () => {
        await apiSocket.close();
        await Promise.all(
          servers.map(
            (server) =>
              new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
              }),
          ),
        );
        core.close();
      })();
      return closing;
    },
  };
}
