// A burst of file events (a writer saving every few seconds, a folder copied in) must not become a
// burst of overlapping fetches whose answers arrive out of order. A coalesced task runs at most once
// at a time; calls made while it runs are folded into exactly one more run afterwards.

export function coalesce(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;

  const start = (): Promise<void> => {
    const run: Promise<void> = task().finally(() => {
      if (running === run) running = null;
    });
    running = run;
    return run;
  };

  return () => {
    // Checked first: until the queued run has started, every caller joins it.
    if (queued) return queued;
    if (!running) return start();
    // Callers during a run need a run that starts after their call; they share this one.
    queued = running
      .catch(() => undefined)
      .then(() => {
        queued = null;
        return start();
      });
    return queued;
  };
}
