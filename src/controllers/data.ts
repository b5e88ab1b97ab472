import { initialState, Task, TaskStatus } from '@lit/task';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isDmApiError } from '../sdk/index.js';
import { DmErrorEvent } from '../events/error.js';

/** The five things a data view can show. `empty` is a `complete` load with nothing in it. */
export type DataStatus = 'initial' | 'pending' | 'error' | 'complete' | 'empty';

/** Return this from a task to stay in (or go back to) the `initial` state, e.g. with no client yet. */
export const notReady: typeof initialState = initialState;

export interface DataControllerOptions<T, A extends readonly unknown[]> {
  /** The inputs; the task re-runs (aborting the previous run) whenever one of them changes. */
  args: () => A;
  /** Loads the data. Pass `signal` to every request; return `notReady` to stay `initial`. */
  task: (args: A, options: { signal: AbortSignal }) => Promise<T | typeof initialState>;
  /** When a completed value counts as empty. */
  isEmpty?: (value: T) => boolean;
  /** `false`: run only via `run()` / `retry()`. Default `true` (run when `args` change). */
  autoRun?: boolean;
  /** Called with each completed value (before the host re-renders). */
  onComplete?: (value: T) => void;
  /** Called once per status change, during the host's update (e.g. to set custom states). */
  onStatus?: (status: DataStatus) => void;
  /** Dispatch `dm-error` from the host on failure (not on abort). Default `true`. */
  reportErrors?: boolean;
}

function isAbort(error: unknown, signal: AbortSignal): boolean {
  if (signal.aborted) return true;
  if (isDmApiError(error)) return error.kind === 'aborted';
  return error instanceof DOMException && error.name === 'AbortError';
}

/**
 * The one data-loading controller of DM Kit, a thin layer over `@lit/task`: runs `task` when `args`
 * change, aborts the stale run through its `AbortSignal`, and reports one of five statuses. An abort
 * never surfaces as an error: the superseded run is ignored, an explicit `abort()` returns to `initial`.
 */
export class DataController<
  T,
  A extends readonly unknown[] = readonly unknown[],
> implements ReactiveController {
  readonly task: Task<A, T>;
  readonly #options: DataControllerOptions<T, A>;
  #lastStatus: DataStatus | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, options: DataControllerOptions<T, A>) {
    this.#options = options;
    this.task = new Task<A, T>(host, {
      args: options.args,
      autoRun: options.autoRun ?? true,
      task: async (args, { signal }) => {
        try {
          return (await options.task(args, { signal })) as T;
        } catch (error) {
          if (isAbort(error, signal)) return initialState as T;
          throw error;
        }
      },
      onComplete: (value) => options.onComplete?.(value),
      onError: (error) => {
        if (options.reportErrors !== false) host.dispatchEvent(new DmErrorEvent({ error }));
      },
    });
    host.addController(this);
  }

  get status(): DataStatus {
    switch (this.task.status) {
      case TaskStatus.PENDING:
        return 'pending';
      case TaskStatus.ERROR:
        return 'error';
      case TaskStatus.COMPLETE:
        return this.#options.isEmpty?.(this.task.value as T) ? 'empty' : 'complete';
      default:
        return 'initial';
    }
  }

  /** The last completed value (kept while a new run is pending). */
  get value(): T | undefined {
    return this.task.value;
  }

  get error(): unknown {
    return this.task.error;
  }

  /** Runs the task again with the current args (the "Try again" button). */
  retry = (): Promise<void> => this.task.run();

  /** Runs now, optionally with explicit args (for `autoRun: false`). */
  run(args?: A): Promise<void> {
    return this.task.run(args);
  }

  /** Aborts a pending run; the controller returns to `initial`. */
  abort(reason?: unknown): void {
    this.task.abort(reason);
  }

  /** Resolves when the current run settles (never rejects). */
  async settled(): Promise<DataStatus> {
    try {
      await this.task.taskComplete;
    } catch {
      // The error is in `error`.
    }
    return this.status;
  }

  hostUpdate(): void {
    const status = this.status;
    if (status !== this.#lastStatus) {
      this.#lastStatus = status;
      this.#options.onStatus?.(status);
    }
  }
}
