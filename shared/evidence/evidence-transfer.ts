/**
 * What the api's evidence methods return (shared/api.ts 'evidence.export', 'evidence.import').
 * Bundles cross the api as base64, like every binary result.
 */

/** The name a bundle file is offered under ends with this. */
export const BUNDLE_EXTENSION = '.sitrep-evidence';

/** The longest bundle the api takes, in base64 characters (about 192 MiB of bundle). */
export const MAX_BUNDLE_BASE64_CHARS = 256 * 1024 * 1024;

export interface EvidenceExport {
  /** Offered file name, "incident-<id>-<yyyymmddThhmm>Z.sitrep-evidence". */
  fileName: string;
  /** The bundle's bytes, base64. */
  bundle: string;
  ops: number;
}

export interface EvidenceImport {
  incidentId: string;
  /** Ops in the bundle, and how many of them this store did not hold yet. */
  ops: number;
  newOps: number;
  writeAuthorityFingerprint: string;
}
