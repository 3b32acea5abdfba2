/**
 * The messages between Electron's main process and the core running in a `utilityProcess`
 * (DESIGN.md §3). Plain Node: both sides import it, neither side trusts what it receives, so each
 * parses incoming messages with the schemas below.
 *
 * main → core
 *   { type: 'open', dataDir, wrappingKey }     once, first: open the core on dataDir, its key store
 *                                              sealed by wrappingKey (32 bytes, AES-256-GCM)
 *   { type: 'invoke', id, method, args }       one api call; args are validated by the core itself
 *   { type: 'close' }                          close the core (releasing the writer lock); the
 *                                              process then exits
 * core → main
 *   { type: 'ready', deviceId }                the core is open; invokes are served from now on
 *   { type: 'result', id, ok: true, value }    the answer to invoke `id`
 *   { type: 'result', id, ok: false, error }   ... or its typed failure (SerializedError)
 *   { type: 'event', event }                   an ApiEvent the core pushed
 *   { type: 'fatal', error }                   the core cannot serve (its open failed): main reports
 *                                              it and does not restart it; no result follows
 *                                              (a crash is the process's exit, which main restarts)
 *
 * Invariants:
 * - Every invoke gets exactly one result carrying its id, unless a fatal message or the process's
 *   exit comes first. Ids are chosen by main and unique among its pending calls.
 * - Messages travel in order on one port: the events a write causes are posted before its result.
 * - An invoke before ready or after close is answered with an error result, never dropped.
 * - Every payload is structured-clone-able (plain objects, arrays, Uint8Array); errors cross as
 *   SerializedError, so their code and details survive.
 */
import { z } from 'zod';
import { isApiMethod, type ApiEvent, type ApiMethod } from '../../../shared/api';
import { ERROR_CODES, type SerializedError } from '../../../shared/errors';

/** The wrapping key's length: an AES-256 key. */
export const WRAPPING_KEY_BYTES = 32;

export type MainToCoreMessage =
  | { type: 'open'; dataDir: string; wrappingKey: Uint8Array }
  | { type: 'invoke'; id: number; method: ApiMethod; args: unknown }
  | { type: 'close' };

export type CoreToMainMessage =
  | { type: 'ready'; deviceId: string }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: SerializedError }
  | { type: 'event'; event: ApiEvent }
  | { type: 'fatal'; error: SerializedError };

const invokeId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const serializedErrorSchema = z.strictObject({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.array(z.string()),
});

const apiEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('incidents-changed') }),
  z.strictObject({ type: z.literal('incident-changed'), incidentId: z.string() }),
  z.strictObject({ type: z.literal('playbook-changed') }),
  z.strictObject({ type: z.literal('sync-changed'), incidentId: z.string() }),
]);

// A new ApiEvent must be added above too, or the core's events of that kind would be refused here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const apiEventSchemaCoversApiEvent: Same<z.output<typeof apiEventSchema>, ApiEvent> = true;
void apiEventSchemaCoversApiEvent;

const mainToCoreSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('open'),
    dataDir: z.string().min(1),
    wrappingKey: z
      .instanceof(Uint8Array)
      .refine((key) => key.length === WRAPPING_KEY_BYTES, `the wrapping key is ${WRAPPING_KEY_BYTES} bytes`),
  }),
  z.strictObject({
    type: z.literal('invoke'),
    id: invokeId,
    method: z.string().refine(isApiMethod, 'not an api method'),
    args: z.unknown(),
  }),
  z.strictObject({ type: z.literal('close') }),
]);

const coreToMainSchema = z.union([
  z.strictObject({ type: z.literal('ready'), deviceId: z.string().min(1) }),
  z.strictObject({ type: z.literal('result'), id: invokeId, ok: z.literal(true), value: z.unknown() }),
  z.strictObject({ type: z.literal('result'), id: invokeId, ok: z.literal(false), error: serializedErrorSchema }),
  z.strictObject({ type: z.literal('event'), event: apiEventSchema }),
  z.strictObject({ type: z.literal('fatal'), error: serializedErrorSchema }),
]);

export type ParsedMessage<T> = { ok: true; message: T } | { ok: false; problem: string };

const describe = (error: z.ZodError): string =>
  error.issues.map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`).join('; ');

export function parseMainToCore(raw: unknown): ParsedMessage<MainToCoreMessage> {
  const parsed = mainToCoreSchema.safeParse(raw);
  // The refinement narrows method at run time; zod's output type keeps string.
  return parsed.success ? { ok: true, message: parsed.data as MainToCoreMessage } : { ok: false, problem: describe(parsed.error) };
}

export function parseCoreToMain(raw: unknown): ParsedMessage<CoreToMainMessage> {
  const parsed = coreToMainSchema.safeParse(raw);
  return parsed.success ? { ok: true, message: parsed.data } : { ok: false, problem: describe(parsed.error) };
}

/** The id of a message that looks like an invoke but is not a valid one, so it can still be answered. */
export function invokeIdOf(raw: unknown): number | undefined {
  const parsed = z.object({ type: z.literal('invoke'), id: invokeId }).safeParse(raw);
  return parsed.success ? parsed.data.id : undefined;
}
