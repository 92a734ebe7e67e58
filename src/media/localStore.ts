import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { MediaStore } from "./store";

/** A folder on disk (MEDIA_DIR): the default, so that `npm start` needs no other service. */
export class LocalMediaStore implements MediaStore {
  constructor(private readonly dir: string) {}

  private file(key: string): string {
    // Keys are made by the gateway, never taken from a URL as they are; this is a second line of defence.
    if (key.split("/").some((part) => part === "" || part === "." || part === "..")) throw new Error(`Not a media key: ${key}`);
    return path.join(this.dir, ...key.split("/"));
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await fs.readFile(this.file(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const file = this.file(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    // Written aside and renamed, so that a reader never gets half a file.
    const partial = `${file}.${randomBytes(6).toString("hex")}.partial`;
    await fs.writeFile(partial, bytes);
    await fs.rename(partial, file);
  }

  async deletePrefix(prefix: string): Promise<void> {
    for (const key of await this.list(prefix)) await fs.rm(this.file(key), { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
        throw e;
      }
      for (const entry of entries) {
        const key = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) await walk(path.join(dir, entry.name), key);
        else if (!entry.name.endsWith(".partial")) keys.push(key);
      }
    };
    await walk(this.dir, "");
    return keys.filter((k) => k.startsWith(prefix)).sort();
  }

  async close(): Promise<void> {}
}
