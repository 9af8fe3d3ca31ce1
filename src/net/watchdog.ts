/**
 * Time limits for one network exchange, on timers this module owns and clears. Not
 * `AbortSignal.any([..., AbortSignal.timeout(ms)])`: on Node 20 the composite holds its sources weakly,
 * so a timeout signal nobody else references is collected with its timer and never fires (a download
 * then hangs until the Lambda's deadline). A watchdog keeps its timers referenced until `dispose()`,
 * which every user calls in a `finally`, so no timer outlives the exchange either.
 */
export class Watchdog {
  private readonly controller = new AbortController();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly parents: readonly AbortSignal[];
  private readonly onParentAbort = (event: Event): void => this.controller.abort((event.target as AbortSignal).reason);

  /** Each of `parents` (the invocation's deadline, a caller's signal) aborts the watchdog too, with its reason. */
  constructor(...parents: ReadonlyArray<AbortSignal | null | undefined>) {
    this.parents = parents.filter((p): p is AbortSignal => p != null);
    const aborted = this.parents.find((p) => p.aborted);
    if (aborted) this.controller.abort(aborted.reason);
    else for (const parent of this.parents) parent.addEventListener('abort', this.onParentAbort, { once: true });
  }

  /** Aborts when the parent does or when an armed timer fires, with that timer's reason. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The error a timer aborted with, if one did (undefined when the parent aborted, or nothing did). */
  get expired(): Error | undefined {
    const reason: unknown = this.controller.signal.reason;
    return this.controller.signal.aborted && reason instanceof WatchdogExpiry ? reason.error : undefined;
  }

  /** Starts (or restarts) the timer `name`: unless disarmed or re-armed first, it aborts with `error()` after `ms`. */
  arm(name: string, ms: number, error: () => Error): void {
    this.disarm(name);
    if (this.controller.signal.aborted) return;
    this.timers.set(
      name,
      setTimeout(
        () => {
          this.timers.delete(name);
          this.controller.abort(new WatchdogExpiry(error()));
        },
        Math.max(1, ms),
      ),
    );
  }

  disarm(name: string): void {
    const timer = this.timers.get(name);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(name);
  }

  /** Clears every timer and the parent's listener. */
  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const parent of this.parents) parent.removeEventListener('abort', this.onParentAbort);
  }
}

/**
 * The abort reason of an expired timer. Wrapped so that an expiry is never mistaken for the parent's
 * own reason, and so that fetch implementations which rethrow the reason hand back something we know.
 */
export class WatchdogExpiry extends Error {
  override readonly name = 'AbortError';
  constructor(readonly error: Error) {
    super(error.message, { cause: error });
  }
}

/** The expiry behind an error a fetch or a body read threw, if it was one of a watchdog's. */
export function expiryOf(error: unknown, watchdog: Watchdog): Error | undefined {
  if (error instanceof WatchdogExpiry) return error.error;
  return watchdog.expired;
}

/**
 * Passes a byte stream through, re-arming `idle` on every chunk, and ends it with the watchdog's expiry
 * (or the source's error) when one comes; `done` runs once, however the stream ends.
 */
export function watchBody(
  body: ReadableStream<Uint8Array>,
  watchdog: Watchdog,
  idle: { readonly ms: number; readonly error: () => Error },
  done: () => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    done();
  };
  const onAbort = (): void => {
    void reader.cancel(watchdog.signal.reason).catch(() => undefined);
  };
  watchdog.signal.addEventListener('abort', onAbort, { once: true });
  const cleanUp = (): void => {
    watchdog.signal.removeEventListener('abort', onAbort);
    finish();
  };
  watchdog.arm('idle', idle.ms, idle.error);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: ended, value } = await reader.read();
        if (ended) {
          cleanUp();
          // A read cut short by the watchdog's cancel ends like a finished one: never pass it off as whole.
          if (watchdog.signal.aborted) controller.error(watchdog.expired ?? watchdog.signal.reason);
          else controller.close();
          return;
        }
        watchdog.arm('idle', idle.ms, idle.error);
        controller.enqueue(value);
      } catch (error) {
        const expiry = expiryOf(error, watchdog);
        cleanUp();
        controller.error(expiry ?? error);
      }
    },
    async cancel(reason) {
      cleanUp();
      await reader.cancel(reason).catch(() => undefined);
    },
  });
}
