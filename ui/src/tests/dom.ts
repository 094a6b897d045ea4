// Helpers for component tests in jsdom: wait for the promises a component started, and find
// elements by their data-testid.

import { flushSync } from "svelte";

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
