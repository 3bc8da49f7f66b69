/**
 * preview2-shim starts its I/O worker thread (a second V8 isolate with its own Node bootstrap) when its module is
 * loaded, whether the guest ever needs it or not. Most guests don't: stdout/stderr are written on the main thread,
 * and the P2 host serves stdin itself (p2-host.ts). Profiled, booting that thread was the largest single cost of a
 * P2 run: ~40 ms of the guest's own run time spent waiting for it (the adapter asks for stdin at its first call).
 *
 * Imported FIRST by p2-host.ts, before the shim: while the shim loads, `worker_threads.Worker` is a stand-in that
 * creates the real thread on the first message (the first I/O call that needs it: polls, clocks, file streams …).
 * `restoreWorker()` puts the real class back once the shim is loaded.
 */
import { syncBuiltinESMExports } from 'node:module';
import workerThreads, { type WorkerOptions } from 'node:worker_threads';

const RealWorker = workerThreads.Worker;
type Listener = (...args: unknown[]) => void;

/** How many real worker threads the stand-ins started (the host reports it: tests check the thread stays off). */
export let workersStarted = 0;

class LazyWorker {
  #real: InstanceType<typeof RealWorker> | undefined;
  #listeners: [string, Listener][] = [];
  #unref = false;

  constructor(
    private readonly url: string | URL,
    private readonly options?: WorkerOptions,
  ) {}

  #start(): InstanceType<typeof RealWorker> {
    if (!this.#real) {
      workersStarted++;
      this.#real = new RealWorker(this.url, this.options);
      for (const [event, listener] of this.#listeners) this.#real.on(event, listener);
      if (this.#unref) this.#real.unref();
    }
    return this.#real;
  }

  on(event: string, listener: Listener): this {
    if (this.#real) this.#real.on(event, listener);
    else this.#listeners.push([event, listener]);
    return this;
  }

  postMessage(value: unknown, transferList?: readonly (ArrayBuffer | MessagePort)[]): void {
    this.#start().postMessage(value, transferList as never);
  }

  unref(): void {
    this.#unref = true;
    this.#real?.unref();
  }

  ref(): void {
    this.#unref = false;
    this.#real?.ref();
  }

  terminate(): Promise<number> {
    return this.#real ? this.#real.terminate() : Promise.resolve(0);
  }
}

(workerThreads as { Worker: unknown }).Worker = LazyWorker;
syncBuiltinESMExports();

export function restoreWorker(): void {
  (workerThreads as { Worker: unknown }).Worker = RealWorker;
  syncBuiltinESMExports();
}
