// Keyboard actions on the window's own controls. A key presses the control a mouse would (so there is one
// way to do each thing, with its checks), then puts the focus in what that control opened: the whole
// review works without the mouse. A control that opens a form carries `data-opens="NAME"`; the form (or
// group of buttons) carries `data-form="NAME"`.

/**
 * Opens the form `name` inside `root` (pressing its opener when it is not open yet, and waiting for it
 * to appear: some load what they offer first, a pane may still be drawing) and focuses its first field.
 * False when neither the form nor its opener came within `timeoutMs`.
 */
export async function openForm(name: string, root: ParentNode, timeoutMs = 2000): Promise<boolean> {
  const form = () => root.querySelector<HTMLElement>(`[data-form="${name}"]`);
  const opener = () => root.querySelector<HTMLElement>(`[data-opens="${name}"]`);
  const found = await appears(() => form() ?? opener(), timeoutMs);
  if (!found) return false;
  let open = form();
  if (!open) {
    found.click();
    open = await appears(form, timeoutMs);
    if (!open) return false;
  }
  const field = open.querySelector<HTMLElement>("select, input:not([type='hidden']), textarea, button:not(:disabled)");
  // The form into view first, then the focus, whose own scroll has the last word: a form taller than its
  // pane scrolled after the focus could put the focused field back under a sticky header (the claim
  // inspector's status bar), out of sight.
  open.scrollIntoView?.({ block: "nearest" });
  focusFromKeyboard(field ?? open);
  (field ?? open).scrollIntoView?.({ block: "nearest" });
  return true;
}

/**
 * Focuses `element` for a key press, with the focus ring shown. A browser shows `:focus-visible` on a
 * script's focus only when the element focused before showed it, and after a shortcut pressed with
 * nothing focused, none did: the element is marked until it loses the focus (app.css draws the ring).
 */
export function focusFromKeyboard(element: HTMLElement) {
  element.setAttribute("data-keyboard-focus", "");
  element.addEventListener("blur", () => element.removeAttribute("data-keyboard-focus"), { once: true });
  element.focus();
}

async function appears<T>(find: () => T | null, timeoutMs: number): Promise<T | null> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found || Date.now() > until) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
