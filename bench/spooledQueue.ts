import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toQueueMessage } from '../shared/adapters/storage/createQueueClient.js';
import type { RefreshMessage } from '../shared/tokens/RefreshMessage.js';
import type { RefreshQueue } from '../shared/tokens/TokenPorts.js';

/** Each message is written after its length, so reading needs no record of where messages start. */
const LENGTH_BYTES = 4;

/**
 * The refresh queue as a file, with the same base64 JSON encoding as Storage queues. The bench uses
 * it instead of Azurite's queue, whose delete is linear in the queue's length (about 160 deletes/s
 * with 4,000 messages queued, measured), so 10,000 messages would measure Azurite; Azure Storage queues
 * take about 2,000 messages/s each. The messages wait in a file, not in the process: a Storage queue
 * holds them outside the Functions host, and at 100,000 planned rows of about 1.5 kB each, an
 * in-memory list would be the largest thing the bench measured. The queue keeps two offsets and no
 * record per message, so the bench charges nothing that grows with the messages to the measured process.
 */
export class SpooledQueue implements RefreshQueue {
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-queue-'));
  private readonly fd = openSync(path.join(this.dir, 'messages'), 'w+');
  /** Where the next message is written, and where the next one to receive starts. */
  private end = 0;
  private head = 0;
  private waiters: Array<() => void> = [];
  /** When the first message was queued (performance.now()): the planner's head start is in every refresh's wall. */
  firstQueuedAt: number | undefined;

  send(messages: readonly RefreshMessage[]): Promise<void> {
    if (messages.length > 0) this.firstQueuedAt ??= performance.now();
    for (const message of messages) {
      const body = Buffer.from(toQueueMessage(message));
      const record = Buffer.allocUnsafe(LENGTH_BYTES + body.length);
      record.writeUInt32LE(body.length, 0);
      body.copy(record, LENGTH_BYTES);
      writeSync(this.fd, record, 0, record.length, this.end);
      this.end += record.length;
    }
    for (const wake of this.waiters.splice(0)) wake();
    return Promise.resolve();
  }

  /** The next message, decoded as the queue trigger does, or undefined when empty. */
  receive(): unknown {
    if (this.head >= this.end) return undefined;
    const length = Buffer.alloc(LENGTH_BYTES);
    readSync(this.fd, length, 0, LENGTH_BYTES, this.head);
    const encoded = Buffer.alloc(length.readUInt32LE(0));
    readSync(this.fd, encoded, 0, encoded.length, this.head + LENGTH_BYTES);
    this.head += LENGTH_BYTES + encoded.length;
    return JSON.parse(Buffer.from(encoded.toString('utf8'), 'base64').toString('utf8')) as unknown;
  }

  /** Resolves when a message arrives (or at once if one is waiting). */
  whenNotEmpty(): Promise<void> {
    if (this.head < this.end) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Removes the file. */
  close(): void {
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
