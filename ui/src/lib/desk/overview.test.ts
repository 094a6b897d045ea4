import { describe, expect, it } from "vitest";
import { claimCountsLine, overviewById } from "./overview";

const counts = (over = {}) => ({ total: 0, needs_corroboration: 0, corroborated: 0, disputed: 0, unverifiable: 0, cleared: 0, ...over });

describe("a draft's review at a glance", () => {
  it("says how many claims and how many are still open or disputed", () => {
    expect(claimCountsLine(counts())).toBe("No claims");
    expect(claimCountsLine(counts({ total: 1, corroborated: 1 }))).toBe("1 claim");
    expect(claimCountsLine(counts({ total: 5, needs_corroboration: 2, disputed: 1, cleared: 2 }))).toBe("5 claims · 2 open · 1 disputed");
  });

  it("looks drafts up by id", () => {
    expect(overviewById([{ draft: 3, x: 1 }, { draft: 9, x: 2 }])[9].x).toBe(2);
  });
});
