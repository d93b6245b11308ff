import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalCloudEndpoints } from '../local/cloud/EmulatorContext.js';

/** The scan bench's local cloud (`scanBenchCloud.ts`) in its own process, asked over IPC. */
export class BenchCloud {
  private constructor(
    private readonly child: ChildProcess,
    readonly endpoints: LocalCloudEndpoints,
    /** Settles when the cloud's process has exited (after `stop`, its CPU profile written, if one was asked for). */
    readonly exited: Promise<unknown>,
  ) {}

  /** `execArgv`: more options for the cloud's node, such as `--cpu-prof`. */
  static start(args: string[], execArgv: string[] = []): Promise<BenchCloud> {
    const child = fork(path.join(path.dirname(fileURLToPath(import.meta.url)), 'scanBenchCloud.js'), args, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: ['--max-old-space-size=8192', ...execArgv],
    });
    const exited = once(child, 'exit');
    return new Promise((resolve, reject) => {
      child.once('message', (m) => resolve(new BenchCloud(child, (m as { endpoints: LocalCloudEndpoints }).endpoints, exited)));
      child.once('exit', (code) => reject(new Error(`the scan bench's local cloud exited with ${code}`)));
    });
  }

  ask<T>(message: { kind: string; every?: number }): Promise<T> {
    return new Promise((resolve) => {
      this.child.once('message', (m) => resolve(m as T));
      this.child.send(message);
    });
  }

  stop(): void {
    this.child.send({ kind: 'stop' });
  }
}
