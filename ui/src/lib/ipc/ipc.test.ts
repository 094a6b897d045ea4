import { beforeEach, describe, expect, it, vi } from "vitest";
import { claimId, draftId, evidenceId, noteId, sourceId } from "$lib/testing/ids";

const dialog = vi.hoisted(() => ({ open: vi.fn() }));
const bindings = vi.hoisted(() => ({
  commands: { currentDesk: vi.fn(), openDesk: vi.fn(), listDrafts: vi.fn(), getDraft: vi.fn(), tagClaim: vi.fn(), listClaims: vi.fn(), setClaimStatus: vi.fn(), resolveClaim: vi.fn(), deskAttention: vi.fn(),
    moveClaim: vi.fn(), removeClaim: vi.fn(), restoreClaim: vi.fn(), removedClaims: vi.fn(), restoreSourceLink: vi.fn(), linkNewSource: vi.fn(),
    removeSource: vi.fn(), restoreSource: vi.fn(), removeEvidence: vi.fn(), restoreEvidence: vi.fn(), removeNote: vi.fn(), restoreNote: vi.fn(), restoreSuggestion: vi.fn(), unresolveClaim: vi.fn() },
  events: { deskChanged: { listen: vi.fn() }, scanProgressed: { listen: vi.fn() } },
}));

vi.mock("@tauri-apps/plugin-dialog", () => dialog);
vi.mock("./bindings", () => bindings);

const { ipc, IpcError, toIpcError, unwrap } = await import("./index");

beforeEach(() => {
  vi.clearAllMocks();
});

describe("unwrap", () => {
  it("returns the data of an ok result", () => {
    expect(unwrap({ status: "ok", data: 42 })).toBe(42);
  });

  it("throws the command's code and message", () => {
    const failure = () => unwrap({ status: "error", error: { code: "not_found", message: "No such draft." } });
    expect(failure).toThrow(IpcError);
    expect(failure).toThrow("No such draft.");
    try {
      failure();
    } catch (error) {
      expect((error as InstanceType<typeof IpcError>).code).toBe("not_found");
    }
  });
});

describe("toIpcError", () => {
  it("keeps Tauri's own string rejections readable", () => {
    const error = toIpcError("Command open_desk not allowed by ACL");
    expect(error.code).toBe("ipc");
    expect(error.message).toBe("Command open_desk not allowed by ACL");
  });

  it("wraps a JavaScript error", () => {
    expect(toIpcError(new TypeError("window.__TAURI_INTERNALS__ is undefined")).message).toMatch(/TAURI_INTERNALS/);
  });
});

describe("ipc", () => {
  it("passes arguments through and unwraps the answer", async () => {
    bindings.commands.getDraft.mockResolvedValue({ status: "ok", data: { versions: 1 } });
    await expect(ipc.getDraft(draftId(7))).resolves.toEqual({ versions: 1 });
    expect(bindings.commands.getDraft).toHaveBeenCalledWith(7);
  });

  it("sends the selected quote with its context and unwraps the claim", async () => {
    const quote = { exact: "50 billion", prefix: "worth of ", suffix: "." };
    bindings.commands.tagClaim.mockResolvedValue({ status: "ok", data: { id: 9 } });
    await expect(ipc.tagClaim(draftId(3), quote)).resolves.toEqual({ id: 9 });
    expect(bindings.commands.tagClaim).toHaveBeenCalledWith(3, quote);
  });

  it("passes the claim error code through", async () => {
    bindings.commands.tagClaim.mockResolvedValue({ status: "error", error: { code: "quote_ambiguous", message: "Found twice." } });
    await expect(ipc.tagClaim(draftId(3), { exact: "x", prefix: "", suffix: "" })).rejects.toMatchObject({ code: "quote_ambiguous", message: "Found twice." });
  });

  it("lists claims and sets a claim's status", async () => {
    bindings.commands.listClaims.mockResolvedValue({ status: "ok", data: [] });
    bindings.commands.setClaimStatus.mockResolvedValue({ status: "ok", data: { id: 9, status: "disputed" } });
    await expect(ipc.listClaims(draftId(3))).resolves.toEqual([]);
    await expect(ipc.setClaimStatus(claimId(9), "disputed", 4)).resolves.toMatchObject({ status: "disputed" });
    expect(bindings.commands.listClaims).toHaveBeenCalledWith(3);
    expect(bindings.commands.setClaimStatus).toHaveBeenCalledWith(9, "disputed", 4);
  });

  it("resolves a claim and lists the desk's claims that need attention", async () => {
    const resolution = { action: "choose", start: 4, end: 9 } as const;
    bindings.commands.resolveClaim.mockResolvedValue({ status: "ok", data: { id: 9, needs_attention: false } });
    bindings.commands.deskAttention.mockResolvedValue({ status: "ok", data: [{ id: 2 }] });
    await expect(ipc.resolveClaim(claimId(9), resolution)).resolves.toMatchObject({ needs_attention: false });
    await expect(ipc.deskAttention()).resolves.toEqual([{ id: 2 }]);
    expect(bindings.commands.resolveClaim).toHaveBeenCalledWith(9, resolution);
  });

  it("rejects with an IpcError when the command fails", async () => {
    bindings.commands.openDesk.mockResolvedValue({ status: "error", error: { code: "folder_missing", message: "Gone." } });
    await expect(ipc.openDesk("/nowhere")).rejects.toMatchObject({ code: "folder_missing", message: "Gone." });
  });

  it("rejects with an IpcError when the bridge itself throws", async () => {
    bindings.commands.listDrafts.mockRejectedValue(new Error("IPC bridge missing"));
    await expect(ipc.listDrafts()).rejects.toMatchObject({ name: "IpcError", code: "ipc" });
  });

  it("hands listeners the event payload, not the Tauri envelope", async () => {
    const unlisten = () => {};
    bindings.events.deskChanged.listen.mockResolvedValue(unlisten);
    const handler = vi.fn();
    await expect(ipc.onDeskChanged(handler)).resolves.toBe(unlisten);
    const callback = bindings.events.deskChanged.listen.mock.calls[0][0];
    callback({ event: "desk-changed", id: 1, payload: { event: "added", draft: 3, path: "c.md" } });
    expect(handler).toHaveBeenCalledWith({ event: "added", draft: 3, path: "c.md" });
  });

  it("asks the dialog for one directory", async () => {
    dialog.open.mockResolvedValue("/home/editor/drafts");
    await expect(ipc.chooseFolder()).resolves.toBe("/home/editor/drafts");
    expect(dialog.open).toHaveBeenCalledWith(expect.objectContaining({ directory: true, multiple: false }));
  });

  it("returns null when the dialog is cancelled", async () => {
    dialog.open.mockResolvedValue(null);
    await expect(ipc.chooseFolder()).resolves.toBeNull();
  });
});

describe("removal, restore and move", () => {
  const ok = (data: unknown) => ({ status: "ok", data });

  it("passes each removal and its inverse through to its command", async () => {
    const cases: [keyof typeof bindings.commands, () => Promise<unknown>, unknown[]][] = [
      ["removeClaim", () => ipc.removeClaim(claimId(9)), [9]],
      ["restoreClaim", () => ipc.restoreClaim(claimId(9)), [9]],
      ["removedClaims", () => ipc.removedClaims(draftId(3)), [3]],
      ["unresolveClaim", () => ipc.unresolveClaim(claimId(9)), [9]],
      ["restoreSourceLink", () => ipc.restoreSourceLink(claimId(9), sourceId(4)), [9, 4]],
      ["removeSource", () => ipc.removeSource(sourceId(4), true), [4, true]],
      ["restoreSource", () => ipc.restoreSource(sourceId(4)), [4]],
      ["removeEvidence", () => ipc.removeEvidence(evidenceId(12)), [12]],
      ["restoreEvidence", () => ipc.restoreEvidence(evidenceId(12)), [12]],
      ["removeNote", () => ipc.removeNote(noteId(5)), [5]],
      ["restoreNote", () => ipc.restoreNote(noteId(5)), [5]],
      ["restoreSuggestion", () => ipc.restoreSuggestion(draftId(3), "Six workers were injured."), [3, "Six workers were injured."]],
    ];
    for (const [name, run, args] of cases) {
      bindings.commands[name].mockResolvedValue(ok({ name }));
      await expect(run()).resolves.toEqual({ name });
      expect(bindings.commands[name]).toHaveBeenCalledWith(...args);
    }
  });

  it("moves a claim to the selected quote with its context", async () => {
    const quote = { exact: "six workers", prefix: "said ", suffix: " were" };
    bindings.commands.moveClaim.mockResolvedValue(ok({ id: 9, quote: "six workers" }));
    await expect(ipc.moveClaim(claimId(9), quote)).resolves.toMatchObject({ quote: "six workers" });
    expect(bindings.commands.moveClaim).toHaveBeenCalledWith(9, quote);
  });

  it("links a new source with its confidential fields in one call", async () => {
    const source = {
      descriptor: "a plant manager",
      kind: "unnamed" as const,
      notes: "",
      confidential: { identity: "J. Roe", contact: null, first_hand: true, how_known: null, anonymity_reason: "job", editor_knows: null, approved_by: null },
    };
    bindings.commands.linkNewSource.mockResolvedValue(ok([{ claim: 9 }]));
    await expect(ipc.linkNewSource(claimId(9), source, "attributed")).resolves.toEqual([{ claim: 9 }]);
    expect(bindings.commands.linkNewSource).toHaveBeenCalledWith(9, source, "attributed");
  });

  it("passes source_in_use through so the window can ask to remove the links too", async () => {
    bindings.commands.removeSource.mockResolvedValue({ status: "error", error: { code: "source_in_use", message: "source 4 is used by claims 1, 2" } });
    await expect(ipc.removeSource(sourceId(4), false)).rejects.toMatchObject({ code: "source_in_use", message: "source 4 is used by claims 1, 2" });
  });
});

describe("the command client", () => {
  it("wraps every generated command with no line of its own: arguments go through, the result is unwrapped", async () => {
    for (const [name, command] of Object.entries(bindings.commands)) {
      command.mockResolvedValueOnce({ status: "ok", data: `${name} done` });
      const wrapped = (ipc as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[name];
      expect(wrapped, name).toBeTypeOf("function");
      await expect(wrapped(7, "x")).resolves.toBe(`${name} done`);
      expect(command).toHaveBeenCalledWith(7, "x");
    }
  });

  it("rejects with the command's code", async () => {
    bindings.commands.removeSource.mockResolvedValueOnce({ status: "error", error: { code: "source_in_use", message: "Cited." } });
    await expect(ipc.removeSource(sourceId(3), false)).rejects.toMatchObject({ code: "source_in_use", message: "Cited." });
  });
});
