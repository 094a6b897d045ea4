// One loader: the data a view shows for a key (a claim, a draft, a report request), read through
// one function. A new key starts empty; the same key read again keeps what is shown until the answer
// comes. Only the answer to the latest ask is kept: this is the window's one guard against a slow
// answer overwriting a newer one, so no component writes its own. The loader reads again by itself
// when one of its key's tags is invalidated (see invalidation.ts).

import { onDestroy, untrack } from "svelte";
import { toIpcError, type IpcError } from "$lib/ipc";
import { invalidation as windowBus, tagMatches, type Invalidation, type Tag } from "./invalidation";

export type LoaderOptions<K> = {
  /** The tags the data for `key` is built on; none when only a new key makes it stale. */
  tags?: (key: K) => Tag[];
  /** Equality of keys; by value (their JSON) unless told. */
  same?: (a: K, b: K) => boolean;
  bus?: Invalidation;
  /** A new key keeps the previous key's data on screen until its own answer comes (a comparison
   * of two other versions replaces the one shown rather than blanking it). */
  holdPrevious?: boolean;
};

const sameJson = <K>(a: K, b: K) => JSON.stringify(a) === JSON.stringify(b);

export class Loader<K, T> {
  /** The data for the current key, or null before its first answer. */
  value = $state.raw<T | null>(null);
  /** Why the last read failed, or null. */
  error = $state.raw<IpcError | null>(null);
  loading = $state(false);

  readonly #fetch: (key: K) => Promise<T>;
  readonly #tags: (key: K) => Tag[];
  readonly #same: (a: K, b: K) => boolean;
  readonly #holdPrevious: boolean;
  /** Tracked for whoever shows the key; read untracked here, so an effect that calls `load` depends
   * only on what it reads itself. */
  #key = $state.raw<{ key: K } | null>(null);
  #asked = 0;
  readonly #stop: () => void;

  constructor(fetch: (key: K) => Promise<T>, options: LoaderOptions<K> = {}) {
    this.#fetch = fetch;
    this.#tags = options.tags ?? (() => []);
    this.#same = options.same ?? sameJson;
    this.#holdPrevious = options.holdPrevious ?? false;
    this.#stop = (options.bus ?? windowBus).listen((told) => {
      const current = untrack(() => this.#key);
      if (current && this.#tags(current.key).some((held) => told.some((t) => tagMatches(held, t)))) void this.reload();
    });
    // Made while a component starts: it stops listening when the component goes. Made elsewhere
    // (a store of the window, a test), its owner calls `dispose`.
    try {
      onDestroy(() => this.dispose());
    } catch {
      // Not inside a component's start: nothing to hook.
    }
  }

  /** The key whose data is (being) shown. */
  get key(): K | null {
    return this.#key?.key ?? null;
  }

  /** Shows `key`'s data: a new key starts empty, the same key keeps what is shown while it is read again. */
  load(key: K): Promise<void> {
    const current = untrack(() => this.#key);
    if (!current || !this.#same(current.key, key)) {
      this.#key = { key };
      if (!this.#holdPrevious) {
        this.value = null;
        this.error = null;
      }
    }
    return this.#ask(key);
  }

  /** Reads the current key again, keeping what is shown. */
  reload(): Promise<void> {
    const current = untrack(() => this.#key);
    return current ? this.#ask(current.key) : Promise.resolve();
  }

  /** An answer the window got from its own write: shown at once, and any read still under way is dropped. */
  set(value: T): void {
    this.#asked++;
    this.loading = false;
    this.value = value;
    this.error = null;
  }

  /** Forgets the key and what was shown (the view has nothing to show). */
  clear(): void {
    this.#asked++;
    this.#key = null;
    this.value = null;
    this.error = null;
    this.loading = false;
  }

  dispose(): void {
    this.#asked++;
    this.#stop();
  }

  async #ask(key: K): Promise<void> {
    const mine = ++this.#asked;
    this.loading = true;
    try {
      const value = await this.#fetch(key);
      if (mine !== this.#asked) return;
      this.value = value;
      this.error = null;
    } catch (e) {
      if (mine !== this.#asked) return;
      this.error = toIpcError(e);
    } finally {
      if (mine === this.#asked) this.loading = false;
    }
  }
}
