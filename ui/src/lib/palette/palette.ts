// The command palette (Ctrl+K): every action of the window with its key, found by typing a few
// letters of its name. The same list is the keyboard map (`?`).

export interface PaletteAction {
  id: string;
  label: string;
  /** The key that does it without the palette, as shown ("j", "Ctrl+Z"); empty when there is none. */
  keys: string;
  /** Where it belongs, for the keyboard map's sections. */
  group: string;
  /** Whether it can run now (a claim action needs a claim selected); shown greyed when not. */
  enabled: boolean;
  run: () => void;
}

/**
 * The actions whose label holds every typed word (as a word start or inside it), in their own order,
 * those that can run now first; an empty text keeps them all.
 */
export function filterActions(actions: readonly PaletteAction[], typed: string): PaletteAction[] {
  const words = typed.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  const found = actions.filter((action) => {
    const label = `${action.label} ${action.group}`.toLocaleLowerCase();
    return words.every((word) => label.includes(word));
  });
  return [...found.filter((a) => a.enabled), ...found.filter((a) => !a.enabled)];
}

/** The palette's shortcut: Ctrl+K (Cmd+K on a Mac), also from a text field. */
export function isPaletteKey(event: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "shiftKey">): boolean {
  return (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === "k";
}

/** The keyboard map's sections, in the order the actions were given. */
export function byGroup(actions: readonly PaletteAction[]): { group: string; actions: PaletteAction[] }[] {
  const groups: { group: string; actions: PaletteAction[] }[] = [];
  for (const action of actions) {
    let entry = groups.find((g) => g.group === action.group);
    if (!entry) {
      entry = { group: action.group, actions: [] };
      groups.push(entry);
    }
    entry.actions.push(action);
  }
  return groups;
}

/**
 * The action a key press runs without the palette: the one that can run now whose key is the key
 * pressed. Keys typed into a field, or pressed with Ctrl, Alt or Cmd (Ctrl+C copies), are not ours;
 * Shift is part of the key ("?").
 */
export function actionForKey(
  actions: readonly PaletteAction[],
  event: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "target">,
): PaletteAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return null;
  return actions.find((action) => action.enabled && action.keys === event.key) ?? null;
}

function isTyping(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== "function") return false;
  const element = target as HTMLElement;
  return element.closest("input, textarea, select, [contenteditable]:not([contenteditable='false'])") !== null || element.isContentEditable === true;
}
