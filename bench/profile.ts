import fs from "node:fs";
import path from "node:path";

// Reads a V8 .cpuprofile (node --cpu-prof) and says where the time went:
// self time by function and by package.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  functions: { name: string; where: string; ms: number; share: number }[];
  packages: { name: string; ms: number; share: number }[];
}

function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith("(") ? name : "(native)";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith("node:")) return "node internals";
  return "newsgraph";
}

function shortUrl(url: string): string {
  const i = url.lastIndexOf("node_modules/");
  if (i >= 0) return url.slice(i + "node_modules/".length);
  const d = url.indexOf("/dist/");
  return d >= 0 ? url.slice(d + 1) : url;
}

export function summarizeProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fns = new Map<string, { name: string; where: string; us: number }>();
  const pkgs = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame;
    const name = functionName || "(anonymous)";
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : "";
    const key = `${name} ${where}`;
    const entry = fns.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    fns.set(key, entry);
    const pkg = packageOf(url, name);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
  }
  const share = (us: number) => Math.round((us / total) * 1000) / 10;
  return {
    file: path.basename(file),
    totalMs: Math.round(total / 1000),
    functions: [...fns.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, ms: Math.round(f.us / 1000), share: share(f.us) })),
    packages: [...pkgs.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: share(us) })),
  };
}

export function profileText(s: ProfileSummary): string {
  return [
    `CPU profile ${s.file}: ${s.totalMs} ms sampled`,
    "By package (self time):",
    ...s.packages.map((p) => `  ${String(p.share).padStart(5)}%  ${p.name}`),
    "Top functions (self time):",
    ...s.functions.map((f) => `  ${String(f.share).padStart(5)}%  ${f.name}  ${f.where}`),
  ].join("\n");
}

/** The newest .cpuprofile in a directory. */
export function newestProfile(dir: string): string | null {
  if (!fs.existsSync(dir)) return null;
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  return files[0] ?? null;
}
