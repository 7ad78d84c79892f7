import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Readable } from "node:stream";
import yauzl from "yauzl";

/** One file of an export: a plain file, a file in a folder, or a member of a zip, opened as a stream when read. */
export interface ExportFile {
  /** "<path>" or "<zip>:<member>", for reports. */
  name: string;
  /** The member's (or file's) path, for picking files by name. */
  member: string;
  open(): Promise<Readable>;
}

/**
 * The files an export consists of, from a zip as downloaded (members streamed by yauzl, never unpacked to disk), a
 * folder (its files, sorted, not recursing beyond one level of sub-folders), or one file.
 */
export async function exportFiles(path: string): Promise<ExportFile[]> {
  const info = await stat(path);
  if (info.isDirectory()) {
    const out: ExportFile[] = [];
    const walk = async (dir: string, prefix: string, depth: number) => {
      for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const full = join(dir, entry.name);
        if (entry.isDirectory() && depth < 3) await walk(full, `${prefix}${entry.name}/`, depth + 1);
        else if (entry.isFile()) out.push(plainFile(full, `${prefix}${entry.name}`));
      }
    };
    await walk(path, "", 0);
    return out;
  }
  if (path.toLowerCase().endsWith(".zip")) return zipMembers(path);
  return [plainFile(path, basename(path))];
}

function plainFile(path: string, member: string): ExportFile {
  return { name: path, member, open: async () => createReadStream(path) };
}

const openZip = (path: string) =>
  new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, zip) => (err ? reject(new Error(`${path}: not a readable zip: ${err.message}`)) : resolve(zip))));

async function zipMembers(path: string): Promise<ExportFile[]> {
  const zip = await openZip(path);
  const entries: yauzl.Entry[] = await new Promise((resolve, reject) => {
    const list: yauzl.Entry[] = [];
    zip.on("entry", (e: yauzl.Entry) => {
      if (!e.fileName.endsWith("/")) list.push(e);
      zip.readEntry();
    });
    zip.on("end", () => resolve(list));
    zip.on("error", (e: Error) => reject(new Error(`${path}: ${e.message}`)));
    zip.readEntry();
  });
  zip.close();
  entries.sort((a, b) => (a.fileName < b.fileName ? -1 : 1));
  return entries.map((entry) => ({
    name: `${path}:${entry.fileName}`,
    member: entry.fileName,
    // Each member opens the zip again: members are read one after the other, and a closed zip holds no descriptor.
    open: async () => {
      const z = await openZip(path);
      const found: yauzl.Entry = await new Promise((resolve, reject) => {
        z.on("entry", (e: yauzl.Entry) => (e.fileName === entry.fileName ? resolve(e) : z.readEntry()));
        z.on("end", () => reject(new Error(`${path}: member ${entry.fileName} vanished`)));
        z.on("error", reject);
        z.readEntry();
      });
      return new Promise<Readable>((resolve, reject) =>
        z.openReadStream(found, (err, stream) => {
          if (err) return reject(new Error(`${path}:${entry.fileName}: ${err.message}`));
          stream.on("close", () => z.close());
          stream.on("end", () => z.close());
          resolve(stream);
        }),
      );
    },
  }));
}

/** Reads a small JSON member (user.json) whole. */
export async function readJson(file: ExportFile, maxBytes = 1 << 20): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of await file.open()) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new Error(`${file.name}: larger than ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}
