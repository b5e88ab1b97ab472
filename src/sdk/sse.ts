/** One dispatched server-sent event. */
export interface SseMessage {
  /** The event type (`event:` field), `message` when the frame had none. */
  event: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
  /** The last event id seen on this stream (`id:` field), `''` when none. */
  lastEventId: string;
}

/** Receives what the parser finds, in stream order. */
export interface SseHandlers {
  message(message: SseMessage): void;
  /** A comment line (`: …`), which servers send as heartbeats. */
  comment?(text: string): void;
  /** A `retry:` field: the server's reconnection delay in milliseconds. */
  retry?(ms: number): void;
}

/**
 * An incremental `text/event-stream` parser (WHATWG HTML §9.2.6): feed it decoded text in chunks of
 * any size — frames and even CR LF pairs may be split across chunks. An unterminated frame at the end
 * of the stream is discarded, as the standard says.
 */
export class SseParser {
  #buffer = '';
  #started = false;
  #skipLeadingLf = false;
  #data = '';
  #hasData = false;
  #event = '';
  #lastEventId: string;
  readonly #handlers: SseHandlers;

  constructor(handlers: SseHandlers, lastEventId = '') {
    this.#handlers = handlers;
    this.#lastEventId = lastEventId;
  }

  /** The id to send as `Last-Event-ID` when reconnecting. */
  get lastEventId(): string {
    return this.#lastEventId;
  }

  /** Feeds the next chunk of decoded text. */
  feed(chunk: string): void {
    let text = chunk;
    if (!this.#started && text.length > 0) {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.#skipLeadingLf && text.length > 0) {
      this.#skipLeadingLf = false;
      if (text[0] === '\n') text = text.slice(1);
    }
    this.#buffer += text;
    let start = 0;
    for (;;) {
      const cr = this.#buffer.indexOf('\r', start);
      const lf = this.#buffer.indexOf('\n', start);
      if (cr === -1 && lf === -1) break;
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      const line = this.#buffer.slice(start, end);
      if (this.#buffer[end] === '\r') {
        if (end + 1 === this.#buffer.length) {
          // A CR at the end of the chunk may be the first half of CR LF.
          this.#skipLeadingLf = true;
          start = end + 1;
        } else {
          start = this.#buffer[end + 1] === '\n' ? end + 2 : end + 1;
        }
      } else {
        start = end + 1;
      }
      this.#line(line);
    }
    this.#buffer = this.#buffer.slice(start);
  }

  #line(line: string): void {
    if (line === '') {
      this.#dispatch();
      return;
    }
    if (line[0] === ':') {
      this.#handlers.comment?.(line.slice(1).replace(/^ /, ''));
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    switch (field) {
      case 'event':
        this.#event = value;
        break;
      case 'data':
        this.#data += this.#hasData ? `\n${value}` : value;
        this.#hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.#lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.#handlers.retry?.(Number(value));
        break;
      default:
        // Unknown fields are ignored.
        break;
    }
  }

  #dispatch(): void {
    const hasData = this.#hasData;
    const message: SseMessage = {
      event: this.#event || 'message',
      data: this.#data,
      lastEventId: this.#lastEventId,
    };
    this.#data = '';
    this.#hasData = false;
    this.#event = '';
    if (hasData) this.#handlers.message(message);
  }
}
