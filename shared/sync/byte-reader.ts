/**
 * Reads big-endian fields of a binary format in order (the op envelope, the evidence bundle). A
 * field that runs past the end is never read: the format's own error says which field, how many
 * bytes it needed and where, so a truncated op or file is refused with its reason.
 */
export type Overrun = (field: string, needed: number, reader: ByteReader) => Error;

export class ByteReader {
  offset = 0;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    private readonly overrun: Overrun,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  take(length: number, field: string): Uint8Array {
    if (this.remaining < length) throw this.overrun(field, length, this);
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  u8(field: string): number {
    const at = this.offset;
    this.take(1, field);
    return this.view.getUint8(at);
  }

  u16(field: string): number {
    const at = this.offset;
    this.take(2, field);
    return this.view.getUint16(at);
  }

  u32(field: string): number {
    const at = this.offset;
    this.take(4, field);
    return this.view.getUint32(at);
  }

  i32(field: string): number {
    const at = this.offset;
    this.take(4, field);
    return this.view.getInt32(at);
  }

  u64(field: string): bigint {
    const at = this.offset;
    this.take(8, field);
    return this.view.getBigUint64(at);
  }
}
