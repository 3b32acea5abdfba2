/**
 * Credentials a poller device presents to a metric source. They live only in that device's local
 * credential file (electron/core/metrics/credential-store.ts), never in an op, a view or a log.
 */
import { z } from 'zod';

const SECRET_MAX = 4_000;

export const sourceCredentialsSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('basic'), username: z.string().min(1, 'required').max(500), password: z.string().max(SECRET_MAX) }),
  z.strictObject({ kind: z.literal('bearer'), token: z.string().min(1, 'required').max(SECRET_MAX) }),
]);

export type SourceCredentials = z.infer<typeof sourceCredentialsSchema>;
export type CredentialKind = SourceCredentials['kind'];
