// Event fan-out. Every subscriber has its own queue, so a slow reader neither loses events
// nor holds up another one, and a subscriber only sees events that arrive after it subscribed.

import type { QmpEvent } from './models';

export interface EventSink {
  event(ev: QmpEvent): void;
  /** The connection is gone; no event will follow. */
  end(): void;
}

export class EventHub {
  private readonly sinks = new Set<EventSink>();
  private ended = false;

  get isEnded(): boolean {
    return this.ended;
  }

  /** Adds a sink; returns its removal. A sink added after end() is ended at once. */
  add(sink: EventSink): () => void {
    if (this.ended) {
      sink.end();
      return () => {};
    }
    this.sinks.add(sink);
    return () => {
      this.sinks.delete(sink);
    };
  }

  publish(ev: QmpEvent): void {
    // A copy: sinks remove themselves while being called (waitForEvent does).
    for (const sink of [...this.sinks]) {
      try {
        sink.event(ev);
      } catch {
        // A throwing listener must not stop the socket reader or starve the other sinks.
      }
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const sink of [...this.sinks]) sink.end();
    this.sinks.clear();
  }
}

export interface EventStreamOptions {
  /** Only these event names are queued; all when absent. */
  names?: readonly string[];
}

/**
 * One subscriber's events as an async iterator. Iteration ends (done) once the connection
 * is gone and the queue is drained, or when the consumer breaks out / calls close().
 */
export class QmpEventStream implements AsyncIterableIterator<QmpEvent>, EventSink {
  private readonly queue: QmpEvent[] = [];
  private readonly readers: Array<(r: IteratorResult<QmpEvent, undefined>) => void> = [];
  private readonly names: ReadonlySet<string> | undefined;
  private finished = false;
  private detach: () => void = () => {};

  constructor(hub: EventHub, options: EventStreamOptions = {}) {
    this.names = options.names ? new Set(options.names) : undefined;
    this.detach = hub.add(this);
  }

  /** Events received but not yet read. */
  get pending(): number {
    return this.queue.length;
  }

  event(ev: QmpEvent): void {
    if (this.finished || (this.names && !this.names.has(ev.event))) return;
    const reader = this.readers.shift();
    if (reader) reader({ value: ev, done: false });
    else this.queue.push(ev);
  }

  end(): void {
    this.finished = true;
    this.detach();
    for (const reader of this.readers.splice(0)) reader({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<QmpEvent, undefined>> {
    const ev = this.queue.shift();
    if (ev) return Promise.resolve({ value: ev, done: false });
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.readers.push(resolve));
  }

  /** Called by `for await` on break/throw: stop queueing and drop what is left. */
  return(): Promise<IteratorResult<QmpEvent, undefined>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  close(): void {
    this.queue.length = 0;
    this.end();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
