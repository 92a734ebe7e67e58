import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * xmllint (Debian's libxml2-utils) on a document given on standard input:
 * well-formedness, XML Schema validation and XPath reads, the way a feed
 * reader's or a search engine's parser sees the document.
 */
export function xmllint(xml: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const run = spawnSync("xmllint", [...args, "-"], { input: xml, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new Error(`xmllint could not run (apt-get install libxml2-utils): ${run.error.message}`);
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

/** Throws with xmllint's complaint unless the document is well-formed XML. */
export function assertWellFormed(xml: string): void {
  const r = xmllint(xml, ["--noout", "--nonet"]);
  if (r.status !== 0) throw new Error(`not well-formed XML:\n${r.stderr}`);
}

/** Throws with xmllint's complaint unless the document validates against the schema file. */
export function assertValid(xml: string, schemaFile: string): void {
  const r = xmllint(xml, ["--noout", "--nonet", "--schema", schemaFile]);
  if (r.status !== 0) throw new Error(`invalid against ${path.basename(schemaFile)}:\n${r.stderr}`);
}

/** The string value of an XPath expression (text is unescaped, as a parser gives it). */
export function xpathString(xml: string, expression: string): string {
  const r = xmllint(xml, ["--nonet", "--xpath", `string(${expression})`]);
  if (r.status !== 0 && r.status !== 10) throw new Error(`xpath ${expression} failed:\n${r.stderr}`);
  // xmllint ends what it prints with a newline of its own.
  return r.stdout.endsWith("\n") ? r.stdout.slice(0, -1) : r.stdout;
}

/** A number an XPath expression gives, such as count(...). */
export function xpathNumber(xml: string, expression: string): number {
  const r = xmllint(xml, ["--nonet", "--xpath", expression]);
  if (r.status !== 0) throw new Error(`xpath ${expression} failed:\n${r.stderr}`);
  return Number(r.stdout.trim());
}

const XSD_DIR = path.resolve(__dirname, "../fixtures/xsd");

/** The sitemaps.org urlset schema the `sitemap` package ships, with Google's news and xhtml:link schemas imported beside it. */
export function urlsetSchemaFile(): string {
  const sitemapXsd = require.resolve("sitemap/package.json").replace(/package\.json$/, "schema/sitemap.xsd");
  const imports = [
    ["http://www.sitemaps.org/schemas/sitemap/0.9", sitemapXsd],
    ["http://www.google.com/schemas/sitemap-news/0.9", path.join(XSD_DIR, "sitemap-news.xsd")],
    ["http://www.w3.org/1999/xhtml", path.join(XSD_DIR, "xhtml-link.xsd")],
  ];
  const wrapper = `<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
${imports.map(([ns, file]) => `  <xsd:import namespace="${ns}" schemaLocation="${pathToFileURL(file).href}"/>`).join("\n")}
</xsd:schema>
`;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "newsgraph-xsd-")), "urlset.xsd");
  fs.writeFileSync(file, wrapper);
  return file;
}

export const SITEMAP_INDEX_SCHEMA = path.join(XSD_DIR, "siteindex.xsd");
