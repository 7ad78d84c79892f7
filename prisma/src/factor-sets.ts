/**
 * Factor vectors are stored as little-endian float32 bytes: compact (4 bytes per dimension) and identical on
 * SQLite BLOB and PostgreSQL bytea.
 */
export function vectorToBytes(v: Float32Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(v.length * 4);
  new Float32Array(out.buffer).set(v);
  return out;
}

export function bytesToVector(bytes: Uint8Array, expectedDims?: number): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw new Error(`vector blob of ${bytes.byteLength} bytes is not whole float32s`);
  const copy = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(copy.buffer).set(bytes);
  if (expectedDims !== undefined && copy.length !== expectedDims) {
    throw new Error(`vector has ${copy.length} dimensions, expected ${expectedDims}`);
  }
  return copy;
}
