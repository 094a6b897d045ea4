// The project's two hard rules for UI source, checked on every file under src/:
// draft text only ever becomes text nodes, and only lib/ipc/ talks to Tauri.

import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const srcDir = fileURLToPath(new URL("..", import.meta.url));
const thisFile = fileURLToPath(import.meta.url);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(svelte|ts|js|html)$/.test(entry.name) ? [path] : [];
  });
}

const files = sourceFiles(srcDir).filter((file) => file !== thisFile);

// Spelled in pieces so this file does not match itself.
const markupSinks = ["{@" + "html", "inner" + "HTML", "outer" + "HTML", "insertAdjacent" + "HTML", "document." + "write", "create" + "ContextualFragment"];

describe("source rules", () => {
  it("finds the UI sources", () => {
    expect(files.some((file) => file.endsWith("App.svelte"))).toBe(true);
  });

  it.each(markupSinks)("never uses %s", (sink) => {
    const offenders = files.filter((file) => readFileSync(file, "utf8").includes(sink)).map((file) => relative(srcDir, file));
    expect(offenders).toEqual([]);
  });

  it("imports @tauri-apps only inside lib/ipc", () => {
    const ipcDir = join(srcDir, "lib", "ipc") + sep;
    const offenders = files
      .filter((file) => !file.startsWith(ipcDir))
      .filter((file) => /["']@tauri-apps\//.test(readFileSync(file, "utf8")))
      .map((file) => relative(srcDir, file));
    expect(offenders).toEqual([]);
  });
});
