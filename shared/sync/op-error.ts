/**
 * The one error an op is refused with. `code` is stable (relays send it in typed error frames,
 * clients and tests branch on it); `message` is for people and says what is wrong and where.
 */
export type OpErrorCode =
  /** The bytes do not parse as an envelope: truncated, trailing bytes, a field out of range. */
  | 'malformed'
  /** The first byte names an envelope version this build cannot read. */
  | 'unsupported-version'
  /** Bigger than MAX_OP_BYTES, refused before any parsing. */
  | 'too-large'
  /** The Ed25519 signature does not verify, or the op is not signed by the device it names. */
  | 'bad-signature'
  /** A writer's certificate (or a genesis' write authority) does not authorise this device here. */
  | 'bad-certificate'
  /** `prev` is not the hash of this device's previous op in this incident. */
  | 'bad-chain'
  /** The payload does not decrypt with the content key (wrong key, or bytes changed). */
  | 'decrypt-failed'
  /** The op belongs to an incident other than the one it was offered for. */
  | 'wrong-incident';

export class OpError extends Error {
  override readonly name = 'OpError';

  constructor(
    readonly code: OpErrorCode,
    message: string,
  ) {
    super(message);
  }
}
