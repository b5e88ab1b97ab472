/**
 * A helper process for a benchmark: the machine has two cores, so a server under test and the load
 * against it run in different processes. `forkChild(file, args)` forks a TypeScript file through tsx
 * with IPC and resolves with its first message (e.g. the port it listens on); `call()` sends a request
 * and resolves with the next reply. In the child, `answerParent(handler)` replies to each request.
 */
import { fork, type ChildProcess } from 'node:child_process';

export interface Child<Ready> {
  /** The child's first message. */
  ready: Ready;
  /** Sends `request` and resolves with the child's next message (one call at a time). */
  call<T>(request: unknown): Promise<T>;
  /** Disconnects and resolves when the child has exited. */
  close(): Promise<void>;
  process: ChildProcess;
}

export async function forkChild<Ready>(
  file: string,
  args: string[] = [],
  options: { execArgv?: string[] } = {},
): Promise<Child<Ready>> {
  const child = fork(file, args, { execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`${file} ${args.join(' ')} exited with ${code} before answering`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        resolve(m as T);
      });
    });
  const ready = await next<Ready>();
  return {
    ready,
    process: child,
    call<T>(request: unknown) {
      const reply = next<T>();
      child.send(request as object);
      return reply;
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        if (child.connected) child.disconnect();
        await exited;
      }
    },
  };
}

/**
 * In a forked child: sends `ready` to the parent, then answers each request with `handler`'s result.
 * `onDisconnect` runs when the parent lets go or on SIGINT/SIGTERM (clean up, then the process exits).
 */
export function answerParent<Req, Res>(
  ready: unknown,
  handler: (request: Req) => Promise<Res>,
  onDisconnect: () => Promise<void> = async () => undefined,
): void {
  process.on('message', (m) => {
    handler(m as Req).then(
      (reply) => process.send!(reply as object),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
  let closing = false;
  const close = () => {
    if (closing) return;
    closing = true;
    onDisconnect().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  // The parent let go, or the whole run is being stopped: clean up either way.
  process.once('disconnect', close);
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  process.send!(ready as object);
}
