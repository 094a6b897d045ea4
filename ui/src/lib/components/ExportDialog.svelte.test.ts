// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { flushSync } from "svelte";
import { byTestId, mountOnPage, settle } from "../../tests/dom";
import type { ExportApi, ExportRequest, SavedReport } from "$lib/ipc";
import ExportDialog from "./ExportDialog.svelte";
import { unnamedReviewer } from "$lib/claims/unnamed-reviewer.svelte";
import { deskId, draftId } from "$lib/testing/ids";

const PAGE = "<!DOCTYPE html><html><body><h1>Review report: Kabul</h1><p>Taliban leaders meet</p></body></html>";

class FakeExport implements ExportApi {
  rendered: ExportRequest[] = [];
  saved: { request: ExportRequest; path: string }[] = [];
  asked: { name: string; filter: { name: string; extension: string } }[] = [];
  answer: string | null = "/home/amina/reports/kabul-embassy-review.html";
  saveFails: { code: string; message: string } | null = null;

  async renderReport(request: ExportRequest) {
    this.rendered.push(request);
    return request.format === "html" ? PAGE : `# ${request.format} report <script>alert(1)</script>`;
  }
  async saveReport(request: ExportRequest, path: string): Promise<SavedReport> {
    this.saved.push({ request, path });
    if (this.saveFails) throw this.saveFails;
    return { path, bytes: 2048 };
  }
  async chooseSavePath(name: string, filter: { name: string; extension: string }) {
    this.asked.push({ name, filter });
    return this.answer;
  }
}

const mountComponent = mountOnPage();
const q = byTestId;
const DRAFT = { id: draftId(7), path: "kabul-embassy.txt", title: "Foreign Affairs: Kabul" };

function open(api: FakeExport, props: Record<string, unknown> = {}) {
  let closed = 0;
  const unmount = mountComponent(ExportDialog, {
    props: { api, draft: DRAFT, deskPath: "/home/amina/desk", draftCount: 5, onClose: () => closed++, ...props },
  });
  return { closed: () => closed, unmount };
}

function pick(testid: string) {
  const input = q(testid) as HTMLInputElement;
  input.click();
  flushSync();
}

describe("ExportDialog", () => {
  it("previews the draft's HTML report in a sandboxed frame, desk profile first", async () => {
    const api = new FakeExport();
    open(api);
    await settle();
    expect(api.rendered).toEqual([{ scope: { kind: "draft", draft: 7 }, format: "html", profile: "desk", include_text: false }]);
    const frame = q("export-preview-frame") as HTMLIFrameElement;
    expect(frame.tagName).toBe("IFRAME");
    expect(frame.getAttribute("sandbox")).toBe("");
    expect(frame.getAttribute("srcdoc")).toBe(PAGE);
    expect(frame.getAttribute("src")).toBeNull();
    expect(q("export-file-name")!.textContent).toBe("kabul-embassy-review.html");
    expect(q("export-internal-warning")).toBeNull();
    // The report is shown in the frame only, never as markup of the window.
    expect(q("export-dialog")!.querySelector("h1")).toBeNull();
  });

  it("asks for the reviewer's name first when none is given: the report would name the computer's login", async () => {
    const api = new FakeExport();
    const first = open(api);
    await settle();
    expect(q("export-unnamed")).toBeNull();
    first.unmount();
    unnamedReviewer.login = "root";
    try {
      open(api);
      await settle();
      expect(q("export-unnamed")!.textContent).toContain("“root” (this computer's login): give your name in the header first");
    } finally {
      unnamedReviewer.login = null;
    }
  });

  it("warns before an internal report, and says so in the file name", async () => {
    const api = new FakeExport();
    open(api);
    await settle();
    pick("export-profile-internal");
    await settle();
    expect(q("export-internal-warning")!.textContent).toContain("identities and contacts of confidential sources");
    expect(q("export-internal-warning")!.textContent).toContain("CONFIDENTIAL");
    expect(api.rendered.at(-1)).toMatchObject({ profile: "internal" });
    expect(q("export-file-name")!.textContent).toBe("kabul-embassy-review-internal.html");
  });

  it("shows a text format exactly as written, as text", async () => {
    const api = new FakeExport();
    open(api);
    await settle();
    pick("export-format-markdown");
    pick("export-include-text");
    await settle();
    expect(api.rendered.at(-1)).toEqual({ scope: { kind: "draft", draft: 7 }, format: "markdown", profile: "desk", include_text: true });
    const text = q("export-preview-text")!;
    expect(text.textContent).toBe("# markdown report <script>alert(1)</script>");
    expect(text.querySelector("script")).toBeNull();
    expect(q("export-preview-frame")).toBeNull();
    expect(q("export-file-name")!.textContent).toBe("kabul-embassy-review.md");
  });

  it("saves a PDF of the whole desk where the reviewer chose, and says where", async () => {
    const api = new FakeExport();
    api.answer = "/home/amina/reports/desk-desk-review.pdf";
    open(api);
    await settle();
    pick("export-scope-desk");
    pick("export-format-pdf");
    await settle();
    // PDF is previewed as the page it prints.
    expect(api.rendered.at(-1)).toEqual({ scope: { kind: "desk" }, format: "html", profile: "desk", include_text: false });
    expect(q("export-preview-frame")).not.toBeNull();
    q("export-save")!.click();
    await settle();
    expect(api.asked).toEqual([{ name: "desk-desk-review.pdf", filter: { name: "PDF", extension: "pdf" } }]);
    expect(api.saved).toEqual([
      { request: { scope: { kind: "desk" }, format: "pdf", profile: "desk", include_text: false }, path: "/home/amina/reports/desk-desk-review.pdf" },
    ]);
    expect(q("export-saved")!.textContent).toContain("2 KB");
    expect(q("export-saved")!.textContent).toContain("/home/amina/reports/desk-desk-review.pdf");
    // Another choice is another report: what was saved is no longer news.
    pick("export-format-csv");
    await settle();
    expect(q("export-saved")).toBeNull();
  });

  it("writes nothing when the save dialog is cancelled", async () => {
    const api = new FakeExport();
    api.answer = null;
    open(api);
    await settle();
    q("export-save")!.click();
    await settle();
    expect(api.asked).toHaveLength(1);
    expect(api.saved).toEqual([]);
    expect(q("export-saved")).toBeNull();
    expect(q("export-error")).toBeNull();
  });

  it("shows why a report could not be saved", async () => {
    const api = new FakeExport();
    api.saveFails = { code: "pdf_engine_missing", message: "PDF reports need WeasyPrint, which was not found (weasyprint)" };
    open(api);
    await settle();
    pick("export-format-pdf");
    q("export-save")!.click();
    await settle();
    expect(q("export-error")!.textContent).toContain("need WeasyPrint");
    expect(q("export-saved")).toBeNull();
  });

  it("shows why the preview could not be made", async () => {
    const api = new FakeExport();
    api.renderReport = async () => {
      throw { code: "no_desk", message: "No desk is open: open a folder of drafts first." };
    };
    open(api);
    await settle();
    expect(q("export-preview-error")!.textContent).toContain("No desk is open");
  });

  it("exports the desk when no draft is open, and closes on Esc", async () => {
    const api = new FakeExport();
    const dialog = open(api, { draft: null });
    await settle();
    expect((q("export-scope-draft") as HTMLInputElement).disabled).toBe(true);
    expect((q("export-scope-desk") as HTMLInputElement).checked).toBe(true);
    expect(api.rendered[0].scope).toEqual({ kind: "desk" });
    expect(q("export-file-name")!.textContent).toBe("desk-desk-review.html");
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    expect(dialog.closed()).toBe(1);
  });

  it("leaves Esc to the unlock dialog open over it", async () => {
    const { VaultSession, vaultContext } = await import("$lib/vault/vault.svelte");
    const status = () => ({ desk: deskId(1), has_vault: true, unlocked: false, idle_minutes: 10, retry_after_seconds: 0, remembered: false, keyring_unavailable: null, idle_minutes_refused: null });
    const vault = new VaultSession({
      vaultStatus: async () => status(),
      unlockVault: async () => status(),
      lockVault: async () => status(),
      setUpVault: async () => "",
      setVaultIdleMinutes: async () => status(),
      onVaultLocked: async () => () => {},
      backUpDatabase: async () => ({ path: "", bytes: 0 }),
      chooseBackupPath: async () => null,
    });
    let closed = 0;
    mountComponent(ExportDialog, {
      props: { api: new FakeExport(), draft: DRAFT, deskPath: "/home/amina/desk", draftCount: 5, onClose: () => closed++ },
      context: vaultContext(vault),
    });
    await settle();
    const unlocking = vault.ensureUnlocked();
    expect(vault.asking).toBe("unlock");
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    expect(closed).toBe(0);
    vault.cancel();
    await unlocking;
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    expect(closed).toBe(1);
  });
});
