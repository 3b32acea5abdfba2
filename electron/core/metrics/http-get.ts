/**
 * One GET to a metric source, bounded by a timeout. Every way it can fail (refused, unreachable,
 * timed out, an invalid address) comes back as a reason, never as a throw: a failed poll is a data
 * point. Credentials become an Authorization header here and go nowhere else.
 */
import type { SourceCredentials } from '../../../shared/model/source-credentials';

export type HttpAnswer = { ok: true; status: number; body: string; elapsedMs: number } | { ok: false; reason: string };

/** A metrics answer bigger than this is not read (a scrape of a whole fleet belongs in Prometheus). */
const MAX_BODY_BYTES = 5_000_000;

function authorization(credentials: SourceCredentials): Record<string, string> {
  switch (credentials.kind) {
    case 'none':
      return {};
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` };
    case 'bearer':
      return { authorization: `Bearer ${credentials.token}` };
  }
}

function reasonOf(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs / 1_000} s`;
  const code = e.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection closed before an answer';
  return e.cause?.message ?? e.message ?? String(error);
}

export async function httpGet(url: string, credentials: SourceCredentials, timeoutMs: number, accept: string): Promise<HttpAnswer> {
  const started = performance.now();
  try {
    const response = await fetch(url, { headers: { accept, ...authorization(credentials) }, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    const length = Number(response.headers.get('content-length') ?? 0);
    if (length > MAX_BODY_BYTES) {
      await response.body?.cancel();
      return { ok: false, reason: `the answer is larger than ${MAX_BODY_BYTES} bytes` };
    }
    const body = await response.text();
    return { ok: true, status: response.status, body, elapsedMs: performance.now() - started };
  } catch (error) {
    return { ok: false, reason: reasonOf(error, timeoutMs) };
  }
}
