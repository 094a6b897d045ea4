// The window's Undo: a small stack of the reviewer's last actions, each with the command that puts
// things back (its inverse). The core keeps every removal and every change in the audit trail, so an
// undo is one more recorded change, never a rewrite of history.

import { getContext, setContext } from "svelte";
import { toIpcError } from "$lib/ipc";
import { invalidate } from "$lib/state/invalidation";

export type Undoable = {
  /** What was done, as the toast says it: "Claim removed". */
  label: string;
  /** Puts things back as they were before the action. */
  undo: () => Promise<void>;
};

/** How many actions back Undo reaches: enough for a slip or two, short enough to stay predictable. */
export const UNDO_LIMIT = 20;

export class UndoStack {
  /** Oldest first; the last one is undone next. */
  entries = $state.raw<Undoable[]>([]);
  /** The action the toast offers to undo; null once dismissed or undone. */
  announced = $state.raw<Undoable | null>(null);
  /** The action last undone, for the toast to confirm it. */
  undone = $state.raw<Undoable | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);
  /** Bumped after every undo, so the window reads its open draft again (the panels' loaders hear
   * the `review` invalidation each undo sends). */
  revision = $state(0);

  readonly #limit: number;

  constructor(limit = UNDO_LIMIT) {
    this.#limit = limit;
  }

  get canUndo(): boolean {
    return this.entries.length > 0 && !this.busy;
  }

  /** Remembers an action that has just succeeded, and announces it. */
  record(entry: Undoable): void {
    this.entries = [...this.entries, entry].slice(-this.#limit);
    this.announced = entry;
    this.undone = null;
    this.error = null;
  }

  /**
   * Undoes the last action. An undo that fails (the thing changed meanwhile, the desk was closed)
   * is dropped from the stack and its reason shown: the stack never gets stuck on it.
   */
  async undo(): Promise<Undoable | null> {
    const entry = this.entries.at(-1);
    if (!entry || this.busy) return null;
    this.busy = true;
    this.entries = this.entries.slice(0, -1);
    if (this.announced === entry) this.announced = null;
    try {
      await entry.undo();
      this.undone = entry;
      this.error = null;
      return entry;
    } catch (error) {
      this.undone = null;
      this.error = `Could not undo “${entry.label}”: ${toIpcError(error).message}`;
      return null;
    } finally {
      this.busy = false;
      this.revision += 1;
      invalidate("review");
    }
  }

  /** Hides the toast; the actions stay undoable with Ctrl+Z. */
  dismiss(): void {
    this.announced = null;
    this.undone = null;
    this.error = null;
  }

  /** Forgets everything (another desk was opened: its actions are not this one's). */
  clear(): void {
    this.entries = [];
    this.dismiss();
  }
}

const KEY = Symbol("undo");

/** Makes `stack` the Undo of every component below the caller. */
export function provideUndo(stack: UndoStack): UndoStack {
  return setContext(KEY, stack);
}

/** The window's Undo, or undefined where none was provided (a component mounted on its own). */
export function useUndo(): UndoStack | undefined {
  return getContext<UndoStack | undefined>(KEY);
}

/** True for Ctrl+Z (Cmd+Z on macOS), not with Shift (redo) and not while typing: a field undoes its own text. */
export function isUndoKey(event: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey" | "target">): boolean {
  if (event.key !== "z" && event.key !== "Z") return false;
  if (!(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey) return false;
  return !isTyping(event.target);
}

function isTyping(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== "function") return false;
  const element = target as HTMLElement;
  if (element.isContentEditable) return true;
  const field = element.closest("input, textarea, select");
  if (!field) return false;
  // A checkbox has no text of its own to undo.
  const type = (field as HTMLInputElement).type;
  return !(field.tagName === "INPUT" && (type === "checkbox" || type === "radio"));
}

/** The context that makes `stack` the Undo of a component mounted on its own (tests). */
export function undoContext(stack: UndoStack): Map<unknown, unknown> {
  return new Map([[KEY, stack]]);
}
