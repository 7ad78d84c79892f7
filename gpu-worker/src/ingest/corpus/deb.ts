import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { execFile } from "../../util/run-tool.js";
import { globToRegExp } from "./glob.js";

/** Member names from `dpkg-deb -c` ("perms owner/group size date time ./path[ -> target]"). */
export function parseDebListing(listing: string): string[] {
  const names: string[] = [];
  for (const line of listing.split("\n")) {
    const m = /^\S+\s+\S+\s+\d+\s+\S+\s+\S+\s+(.*)$/.exec(line);
    if (m?.[1]) names.push(m[1].replace(/ -> .*$/, ""));
  }
  return names;
}

export function membersMatching(members: readonly string[], globs: readonly string[]): string[] {
  const res = globs.map(globToRegExp);
  return members.filter((m) => !m.endsWith("/") && res.some((re) => re.test(m)));
}

/** `apt-get download` into dir; returns the .deb path. apt names the file <name>_<version>_<arch>.deb. */
export async function aptDownload(pkg: string, dir: string): Promise<string> {
  await execFile("apt-get", ["download", "-q", pkg], { cwd: dir });
  const deb = (await readdir(dir)).find((f) => f.startsWith(`${pkg}_`) && f.endsWith(".deb"));
  if (!deb) throw new Error(`apt-get download ${pkg} left no .deb in ${dir}`);
  return join(dir, deb);
}

export async function listDeb(deb: string): Promise<string[]> {
  return parseDebListing((await execFile("dpkg-deb", ["-c", deb])).stdout);
}

/** `dpkg-deb --fsys-tarfile deb | tar -x --wildcards globs`: unpacks only the named members, nothing is installed. */
export function extractDeb(deb: string, globs: readonly string[], dest: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const dpkg = spawn("dpkg-deb", ["--fsys-tarfile", deb], { stdio: ["ignore", "pipe", "pipe"] });
    const tar = spawn("tar", ["-x", "-C", dest, "--wildcards", "--no-same-owner", ...globs], { stdio: ["pipe", "ignore", "pipe"] });
    let err = "";
    dpkg.stderr.on("data", (b: Buffer) => (err += b.toString()));
    tar.stderr.on("data", (b: Buffer) => (err += b.toString()));
    dpkg.stdout.pipe(tar.stdin);
    let pending = 2;
    let failed = false;
    const done = (who: string) => (code: number | null) => {
      if (code !== 0 && !failed) {
        failed = true;
        reject(new Error(`${who} exited with ${code} unpacking ${deb}: ${err.trim().split("\n").slice(-3).join(" | ")}`));
      }
      if (--pending === 0 && !failed) resolve();
    };
    dpkg.on("close", done("dpkg-deb"));
    tar.on("close", done("tar"));
    dpkg.on("error", reject);
    tar.on("error", reject);
  });
}
