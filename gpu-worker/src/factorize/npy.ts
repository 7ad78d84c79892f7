/**
 * Writes typed arrays as NumPy `.npy` (format 1.0, little-endian, C order): the exchange format with the
 * NumPy/SciPy references of the ALS tests and benchmark, read there with `np.load`.
 */
import { writeFile } from "node:fs/promises";
import { endianness } from "node:os";

type NpyArray = Int32Array | Float32Array | Float64Array;

function descr(a: NpyArray): string {
  if (a instanceof Int32Array) return "<i4";
  if (a instanceof Float32Array) return "<f4";
  return "<f8";
}

export function encodeNpy(array: NpyArray, shape: readonly number[] = [array.length]): Buffer {
  const count = shape.reduce((p, d) => p * d, 1);
  if (count !== array.length) throw new RangeError(`shape (${shape.join(", ")}) holds ${count} values, array has ${array.length}`);
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(", ");
  const dict = `{'descr': '${descr(array)}', 'fortran_order': False, 'shape': (${dims}), }`;
  // Magic (6) + version (2) + length (2) + dict + padding + "\n" must be a multiple of 64.
  const headerLength = Math.ceil((10 + dict.length + 1) / 64) * 64 - 10;
  const header = Buffer.alloc(10 + headerLength, 0x20);
  header.write("\x93NUMPY", 0, "latin1");
  header[6] = 1;
  header[7] = 0;
  header.writeUInt16LE(headerLength, 8);
  header.write(dict, 10, "latin1");
  header[10 + headerLength - 1] = 0x0a;
  if (endianness() !== "LE") throw new Error("writeNpy: big-endian hosts are not supported (data is written as '<')");
  return Buffer.concat([header, Buffer.from(array.buffer, array.byteOffset, array.byteLength)]);
}

export async function writeNpy(path: string, array: NpyArray, shape?: readonly number[]): Promise<void> {
  await writeFile(path, encodeNpy(array, shape));
}
