// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import { byTestId, settle } from "../../tests/dom";
import type { DashboardApi, DashboardRow, DeskDashboard, SavedReport } from "$lib/ipc";
import DashboardView from "./DashboardView.svelte";
import { draftId } from "$lib/testing/ids";

const claims = { total: 0, needs_corroboration: 0, corroborated: 0, disputed: 0, unverifiable: 0, cleared: 0 };

function row(draft: number, title: string, status: DashboardRow["status"]): DashboardRow {
  return {
    draft: draftId(draft), title, path: `${title.toLowerCase()}.txt`, missing: false, status, changed_since_ready: false, change_reason: null,
    claims, needs_attention: 0, unnamed_share: 0, blockers: [], text_changed_at: null, status_bar_svg: "<svg/>", assignee: null, claim_assignees: [],
  };
}

class FakeDashboard implements DashboardApi {
  saved: { drafts: number[]; path: string }[] = [];
  answer: string | null = "/home/amina/desk-dashboard.csv";
  async deskDashboard(): Promise<DeskDashboard> {
    return {
      rows: [row(1, "Budget", "in-review"), row(2, "Fire", "needs-work"), row(3, "Bridge", "in-review")],
      totals: { drafts: 3, by_workflow: [], claims, needs_attention: 0, unnamed_share: 0, blocked_drafts: 0 },
      status_chart_svg: "<svg/>",
      sourcing_chart_svg: "<svg/>",
    };
  }
  async saveDashboardCsv(drafts: number[], path: string): Promise<SavedReport> {
    this.saved.push({ drafts, path });
    return { path, bytes: 300 };
  }
  async chooseSavePath() {
    return this.answer;
  }
}

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.replaceChildren();
});

describe("DashboardView", () => {
  it("exports the rows shown, as filtered and sorted, as CSV where the editor chooses", async () => {
    const api = new FakeDashboard();
    mounted = mount(DashboardView, { target: document.body, props: { api, onOpen: () => {}, onClose: null, onError: () => {} } });
    await settle();
    const status = byTestId("dashboard-status-filter") as HTMLSelectElement;
    status.value = "in-review";
    status.dispatchEvent(new Event("change"));
    flushSync();
    (byTestId("dashboard-export-csv") as HTMLButtonElement).click();
    await settle();
    // In review only, by title: Bridge before Budget; Fire (needs work) is filtered out.
    expect(api.saved).toEqual([{ drafts: [3, 1], path: "/home/amina/desk-dashboard.csv" }]);
    expect(byTestId("dashboard-exported")?.textContent).toContain("Saved 2 drafts to /home/amina/desk-dashboard.csv");
  });

  it("saves nothing when the save dialog is cancelled", async () => {
    const api = new FakeDashboard();
    api.answer = null;
    mounted = mount(DashboardView, { target: document.body, props: { api, onOpen: () => {}, onClose: null, onError: () => {} } });
    await settle();
    (byTestId("dashboard-export-csv") as HTMLButtonElement).click();
    await settle();
    expect(api.saved).toEqual([]);
    expect(document.querySelector('[data-testid="dashboard-exported"]')).toBeNull();
  });

  it("says \"No claims tagged\" once on a desk without claims: the status chart only, the sourcing mix once there are claims", async () => {
    const api = new FakeDashboard();
    mounted = mount(DashboardView, { target: document.body, props: { api, onOpen: () => {}, onClose: null, onError: () => {} } });
    await settle();
    expect(byTestId("dashboard-status-chart")).not.toBeNull();
    expect(byTestId("dashboard-sourcing-chart")).toBeNull();
    unmount(mounted);
    document.body.replaceChildren();

    const tagged = new FakeDashboard();
    const answer = await tagged.deskDashboard();
    tagged.deskDashboard = async () => ({ ...answer, totals: { ...answer.totals, claims: { ...claims, total: 2, cleared: 2 } } });
    mounted = mount(DashboardView, { target: document.body, props: { api: tagged, onOpen: () => {}, onClose: null, onError: () => {} } });
    await settle();
    expect(byTestId("dashboard-sourcing-chart")).not.toBeNull();
  });
});
