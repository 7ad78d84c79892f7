// `npm run bench -- NAME` / `npm run eval -- NAME`: runs the compiled bench/NAME.ts or eval/NAME.ts.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const [kind, name, ...args] = process.argv.slice(2);
// `npm run bench -- search -- --n 5` passes the second "--" through; the script's own parser would reject it.
const rest = args[0] === "--" ? args.slice(1) : args;
const dir = join(root, kind, "dist");
const available = () => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".js")).map((f) => f.slice(0, -3)) : []);
if (!name) {
  console.error(`usage: npm run ${kind} -- NAME   (available: ${available().join(", ") || "none built: run npx tsc -b"})`);
  process.exit(2);
}
const script = join(dir, `${name}.js`);
if (!existsSync(script)) {
  console.error(`${kind} "${name}" not found (available: ${available().join(", ")})`);
  process.exit(2);
}
const child = spawn(process.execPath, [script, ...rest], { stdio: "inherit", cwd: root });
child.on("exit", (code) => process.exit(code ?? 1));
