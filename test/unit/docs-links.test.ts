import fs from "node:fs";
import path from "node:path";

// ARCHITECTURE.md is a map of the tree: every file or folder it links to
// must exist, so that a move or a rename that forgets the map fails here.
const ROOT = path.resolve(__dirname, "../..");

test.each(["ARCHITECTURE.md", "README.md"])("every relative link in %s resolves", (doc) => {
  const text = fs.readFileSync(path.join(ROOT, doc), "utf8");
  const links = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/i.test(l));
  if (doc === "ARCHITECTURE.md") expect(links.length).toBeGreaterThan(40);
  const missing = links.filter((l) => !fs.existsSync(path.join(ROOT, l)));
  expect(missing).toEqual([]);
});
