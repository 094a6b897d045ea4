// Helpers for component tests in jsdom: mount a component for a test, wait for the promises it started, find
// elements by their data-testid and type into them.

import { afterEach } from "vitest";
import { flushSync, mount, tick, unmount, type Component, type MountOptions } from "svelte";

/** Lets pending promises, timers of 0 ms and Svelte effects run, a few rounds deep. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    flushSync();
  }
}

export function byTestId(testid: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
}

export function allByTestId(testid: string): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)];
}

/**
 * A component test file's mount: call once at the file's top; each test then mounts its component on the page
 * with it, and after each test the component is unmounted and the page emptied (no test sees another's nodes).
 * The mount returns an unmount, for a test that takes its component off the page and mounts it again.
 */
export function mountOnPage(): <Props extends Record<string, any>>(
  component: Component<Props>,
  options: Omit<MountOptions<Props>, "target">,
) => () => void {
  let mounted: Record<string, unknown> | null = null;
  afterEach(() => {
    if (mounted) unmount(mounted);
    mounted = null;
    document.body.replaceChildren();
  });
  return <Props extends Record<string, any>>(component: Component<Props>, options: Omit<MountOptions<Props>, "target">) => {
    const own = mount(component, { ...options, target: document.body } as MountOptions<Props>);
    mounted = own;
    return () => {
      unmount(own);
      if (mounted === own) mounted = null;
    };
  };
}

/** Lets a component's own promises (no timers) and Svelte's effects run: a few microtask turns, then a flush. */
export async function settleTicks(): Promise<void> {
  for (let i = 0; i < 8; i++) await tick();
  flushSync();
}

/** Types `value` into the input or textarea of `testid`, as the reviewer's keys would (one input event). */
export function typeInto(testid: string, value: string): void {
  const element = byTestId(testid) as HTMLInputElement | HTMLTextAreaElement;
  element.value = value;
  element.dispatchEvent(new Event("input"));
}
