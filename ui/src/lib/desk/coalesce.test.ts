import { describe, expect, it } from "vitest";
import { coalesce } from "./coalesce";

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe("coalesce", () => {
  it("runs once per call when calls do not overlap", async () => {
    let runs = 0;
    const run = coalesce(async () => {
      runs += 1;
    });
    await run();
    await run();
    expect(runs).toBe(2);
  });

  it("folds calls made during a run into one more run", async () => {
    const gates = [gate(), gate()];
    let runs = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const run = coalesce(async () => {
      const mine = gates[runs++];
      concurrent += 1;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      await mine.opened;
      concurrent -= 1;
    });

    const first = run();
    const second = run();
    const third = run();
    expect(second).toBe(third);
    gates[0].open();
    await first;
    gates[1].open();
    await third;
    expect(runs).toBe(2);
    expect(maxConcurrent).toBe(1);
  });

  it("gives a caller during a run a run that starts after the call", async () => {
    const seen: number[] = [];
    let value = 0;
    const first = gate();
    let calls = 0;
    const run = coalesce(async () => {
      calls += 1;
      if (calls === 1) await first.opened;
      seen.push(value);
    });
    const a = run();
    value = 1;
    const b = run();
    first.open();
    await Promise.all([a, b]);
    expect(seen).toEqual([1, 1]);
  });

  it("still runs the queued call after a failed run", async () => {
    const first = gate();
    let calls = 0;
    const run = coalesce(async () => {
      calls += 1;
      if (calls === 1) {
        await first.opened;
        throw new Error("store busy");
      }
    });
    const failing = run();
    const queued = run();
    first.open();
    await expect(failing).rejects.toThrow("store busy");
    await expect(queued).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });
});
