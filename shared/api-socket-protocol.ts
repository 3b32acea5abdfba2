/**
 * The api over a WebSocket, as browser mode serves it (DESIGN.md §3). JSON text frames.
 *
 * server → client:
 *   { type: 'hello', access: 'write' | 'read', testClock: boolean }   first frame, once
 *   { type: 'result', id, ok: true, value } | { type: 'result', id, ok: false, error }
 *   { type: 'event', event: ApiEvent }
 * client → server:
 *   { type: 'invoke', id, method, args }
 *   { type: 'set-clock', id, now, token }   only when serve runs with --test-clock, token-protected
 *
 * Rules: ids are the client's, echoed back; a read session may call only READ_METHODS (others get
 * 'read-only'); a frame over MAX_API_FRAME_BYTES or that does not parse closes nothing, it is
 * answered with 'invalid-argument' when it carries an id, and dropped otherwise.
 */
import { z } from 'zod';
import type { ApiEvent } from './api';
import type { SerializedError } from './errors';

export const API_SOCKET_PATH = '/api';
export const MAX_API_FRAME_BYTES = 6 * 1024 * 1024;

export const clientFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('invoke'), id: z.number().int().nonnegative(), method: z.string().max(100), args: z.unknown() }),
  z.object({ type: z.literal('set-clock'), id: z.number().int().nonnegative(), now: z.number().int().nonnegative(), token: z.string().max(200) }),
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

export type ServerFrame =
  | { type: 'hello'; access: 'write' | 'read'; testClock: boolean }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: SerializedError }
  | { type: 'event'; event: ApiEvent };
