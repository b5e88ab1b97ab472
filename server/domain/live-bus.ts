/**
 * In-process publish/subscribe for `GET /v1/live`. Whatever changes engagement, sends or approvals
 * publishes here after its transaction commits; every open stream whose caller may see the message
 * receives it. A bounded ring buffer lets a client that reconnects with `Last-Event-ID` catch up; when
 * the events it missed are no longer buffered (or the process restarted: ids carry a per-process
 * epoch) it gets a `resync` event and refetches.
 *
 * One bus per database handle (every app over the same database shares it), so tests with separate
 * databases never see each other's events. With several server processes each process only sees what
 * it published; a shared broker (PostgreSQL LISTEN/NOTIFY, Redis) would replace this module.
 */
import { LiveEvent } from '../../src/contract/index.js';

/** A live event and who may see it. */
export interface LiveMessage {
  brandId: string;
  /** The partner the event belongs to; `null` for brand-level events (seen by brand-level callers only). */
  partnerId: string | null;
  event: LiveEvent;
}

export interface LiveEntry {
  /** The SSE `id:` — `<epoch>.<seq>`. */
  id: string;
  seq: number;
  message: LiveMessage;
}

export interface LiveOptions {
  /** Events kept for `Last-Event-ID` resumption. Default 2048. */
  bufferSize?: number;
  /** Milliseconds between heartbeat comments on each stream. Default 15 000. */
  heartbeatMs?: number;
  /** Reconnection delay sent to clients (`retry:`), ms. Default 3000. */
  retryMs?: number;
  /** A stream whose client has not read this many frames is closed (it resumes on reconnect). Default 1000. */
  maxQueuedFrames?: number;
}

type Listener = (entry: LiveEntry) => void;

export class LiveBus {
  /** Changes with every process (and bus), so ids from an earlier one are recognised as foreign. */
  readonly epoch: string;
  readonly options: Required<LiveOptions>;
  #seq = 0;
  #ring: LiveEntry[] = [];
  #start = 0;
  readonly #listeners = new Set<Listener>();
  readonly #closers = new Map<Listener, () => void>();

  constructor(options: LiveOptions = {}) {
    this.options = {
      bufferSize: 2048,
      heartbeatMs: 15_000,
      retryMs: 3_000,
      maxQueuedFrames: 1_000,
      ...options,
    };
    this.epoch = randomEpoch();
  }

  get subscriberCount(): number {
    return this.#listeners.size;
  }

  /** The id of the latest event, `''` before the first. */
  get lastId(): string {
    return this.#seq === 0 ? '' : `${this.epoch}.${this.#seq}`;
  }

  /** Publishes a message (validated against the `LiveEvent` contract) to every subscriber. */
  publish(message: LiveMessage): LiveEntry {
    const event = LiveEvent.parse(message.event);
    this.#seq += 1;
    const entry: LiveEntry = {
      id: `${this.epoch}.${this.#seq}`,
      seq: this.#seq,
      message: { ...message, event },
    };
    const size = this.options.bufferSize;
    if (this.#ring.length < size) this.#ring.push(entry);
    else {
      this.#ring[this.#start] = entry;
      this.#start = (this.#start + 1) % size;
    }
    for (const listener of this.#listeners) {
      try {
        listener(entry);
      } catch (error) {
        console.error('live listener failed', error);
      }
    }
    return entry;
  }

  /** Calls `listener` for every published entry; `onDisconnect` runs if {@link disconnectAll} ends it. */
  subscribe(listener: Listener, onDisconnect?: () => void): () => void {
    this.#listeners.add(listener);
    if (onDisconnect) this.#closers.set(listener, onDisconnect);
    return () => {
      this.#listeners.delete(listener);
      this.#closers.delete(listener);
    };
  }

  /**
   * Ends every subscription (e.g. before shutting down, so clients reconnect to another process and
   * resume from their `Last-Event-ID`).
   */
  disconnectAll(): void {
    const closers = [...this.#closers.values()];
    this.#listeners.clear();
    this.#closers.clear();
    for (const close of closers) close();
  }

  /**
   * The buffered entries after `lastEventId`. `complete: false` when some were lost (evicted, or an
   * id from another epoch): the client must resync. An empty or absent id replays nothing.
   */
  since(lastEventId: string | null | undefined): { entries: LiveEntry[]; complete: boolean } {
    if (!lastEventId) return { entries: [], complete: true };
    const match = /^([A-Za-z0-9]+)\.(\d{1,15})$/.exec(lastEventId.trim());
    if (!match || match[1] !== this.epoch) return { entries: [], complete: false };
    const last = Number(match[2]);
    if (last >= this.#seq) return { entries: [], complete: last === this.#seq };
    const ordered = this.#ordered();
    const oldest = ordered[0]?.seq ?? this.#seq + 1;
    return { entries: ordered.filter((e) => e.seq > last), complete: last >= oldest - 1 };
  }

  #ordered(): LiveEntry[] {
    return [...this.#ring.slice(this.#start), ...this.#ring.slice(0, this.#start)];
  }
}

function randomEpoch(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('');
}

const buses = new WeakMap<object, LiveBus>();

/** The bus of a database handle (created on first use, with `options` if given then). */
export function liveBusFor(db: object, options?: LiveOptions): LiveBus {
  let bus = buses.get(db);
  if (!bus) {
    bus = new LiveBus(options);
    buses.set(db, bus);
  }
  return bus;
}

/**
 * Replaces the bus of a database handle with one using `options` (tests: short heartbeats, a small
 * buffer). Open streams keep the old bus.
 */
export function configureLive(db: object, options: LiveOptions): LiveBus {
  const bus = new LiveBus(options);
  buses.set(db, bus);
  return bus;
}

/** Publishes a live event to everyone connected over `db` who may see it. Call after the commit. */
export function publish(db: object, message: LiveMessage): LiveEntry {
  return liveBusFor(db).publish(message);
}

/** Whether a caller (its brand, and its partner or `null` for brand-level callers) may see a message. */
export function visibleTo(
  caller: { brandId: string; partnerId: string | null },
  message: LiveMessage,
): boolean {
  if (message.brandId !== caller.brandId) return false;
  return caller.partnerId === null || message.partnerId === caller.partnerId;
}
