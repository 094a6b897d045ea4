import { describe, expect, it } from "vitest";
import { IpcError } from "$lib/ipc";
import { saveOnVersion } from "./conflict";

describe("saveOnVersion", () => {
  it("returns the saved value and reads nothing more when the save lands", async () => {
    let reads = 0;
    const result = await saveOnVersion(
      async () => "mine",
      async () => {
        reads += 1;
        return "theirs";
      },
    );
    expect(result).toEqual({ saved: true, value: "mine" });
    expect(reads).toBe(0);
  });

  it("reads theirs when the core refuses a change made on an older version", async () => {
    const result = await saveOnVersion(
      async () => {
        throw { code: "conflict", message: "Bo changed this note since you opened it" };
      },
      async () => ({ text: "theirs", version: 3 }),
    );
    expect(result.saved).toBe(false);
    if (result.saved) return;
    expect(result.refusal.code).toBe("conflict");
    expect(result.refusal.message).toContain("Bo changed");
    expect(result.theirs).toEqual({ text: "theirs", version: 3 });
  });

  it("says theirs is gone when the other person removed it meanwhile", async () => {
    const result = await saveOnVersion(
      async () => Promise.reject(new IpcError("conflict", "changed since")),
      async () => undefined,
    );
    expect(result).toMatchObject({ saved: false, theirs: undefined });
  });

  it("throws any other error as it came, without reading theirs", async () => {
    let reads = 0;
    const refused = saveOnVersion(
      async () => Promise.reject(new IpcError("invalid_input", "the note cannot be empty")),
      async () => {
        reads += 1;
        return "theirs";
      },
    );
    await expect(refused).rejects.toMatchObject({ code: "invalid_input" });
    expect(reads).toBe(0);
  });
});
