import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Azurite's well-known development account (public, documented; not a secret). */
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** Connection string for `@azure/data-tables`, `@azure/storage-queue` and `AzureWebJobsStorage`. */
  readonly connectionString: string;
  readonly queueUrl: string;
  readonly tableUrl: string;
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  /** Folder to keep data in between runs; in memory when absent. */
  location?: string;
  /** Fixed ports for a person's run; 0 (free ports) by default. */
  ports?: { blob?: number; queue?: number; table?: number };
  /** How long its services may take to listen: 30 s, unless `location` holds a large database to load first. */
  startTimeoutMs?: number;
  /** Node options for Azurite's own process (a bench's `--cpu-prof`: bench/vigilCpuProfile.ts). */
  nodeArgs?: readonly string[];
}

/**
 * Starts Azurite from the npm package as a child process and waits until its services listen. The
 * ports are read from its own start-up lines, so parallel test files never collide.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<Azurite> {
  const bin = path.join(path.dirname(createRequire(import.meta.url).resolve('azurite/package.json')), 'dist', 'src', 'azurite.js');
  const storage = options.location ? ['--location', options.location] : ['--inMemoryPersistence', '--extentMemoryLimit', '256'];
  const args = [
    ...(options.nodeArgs ?? []),
    bin,
    ...storage,
    '--blobPort',
    String(options.ports?.blob ?? 0),
    '--queuePort',
    String(options.ports?.queue ?? 0),
    '--tablePort',
    String(options.ports?.table ?? 0),
    '--skipApiVersionCheck',
    '--disableTelemetry',
    // No access log: its output is discarded after start-up, and writing a line per request costs Azurite
    // about a twentieth of its CPU under load.
    '--silent',
    '--loose',
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const urls = await readListeningUrls(child, options.startTimeoutMs ?? 30_000);
  const connectionString =
    `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${ACCOUNT_KEY};` +
    `BlobEndpoint=${urls.Blob}/${ACCOUNT};QueueEndpoint=${urls.Queue}/${ACCOUNT};TableEndpoint=${urls.Table}/${ACCOUNT};`;
  return {
    connectionString,
    queueUrl: `${urls.Queue}/${ACCOUNT}`,
    tableUrl: `${urls.Table}/${ACCOUNT}`,
    stop: () => stopChild(child),
  };
}

function readListeningUrls(child: ChildProcess, timeoutMs: number): Promise<Record<'Blob' | 'Queue' | 'Table', string>> {
  return new Promise((resolve, reject) => {
    const found: Partial<Record<'Blob' | 'Queue' | 'Table', string>> = {};
    let output = '';
    const timer = setTimeout(() => fail(new Error(`Azurite did not start within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill();
      reject(error);
    };
    child.once('exit', (code) => fail(new Error(`Azurite exited with ${code}:\n${output}`)));
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const m of output.matchAll(/Azurite (Blob|Queue|Table) service is successfully listening at (http:\/\/\S+)/g)) {
        found[m[1] as 'Blob' | 'Queue' | 'Table'] = m[2]!;
      }
      if (found.Blob && found.Queue && found.Table) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        // Keep draining Azurite's output so a full pipe never blocks it.
        child.stdout?.off('data', onData).resume();
        child.stderr?.off('data', onData).resume();
        resolve(found as Record<'Blob' | 'Queue' | 'Table', string>);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
