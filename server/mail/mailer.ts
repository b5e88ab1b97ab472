/** What the outbox worker needs from a mail transport (no Node APIs here; transports live beside it). */

export interface OutgoingMessage {
  /** Without angle brackets, e.g. `snd_1.step_1.c_1@aurora-motors.example`. Stable across attempts. */
  messageId: string;
  from: { name: string; address: string };
  to: string;
  replyTo: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  date: Date;
}

export interface Mailer {
  /** Resolves when the next hop accepted the message; rejects with `DeliveryError` otherwise. */
  send(message: OutgoingMessage): Promise<void>;
  close?(): Promise<void>;
}

/** A failed delivery: `permanent` (5xx: the address will never work) or transient (retry later). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly responseCode?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Classifies a transport error: SMTP 5xx is permanent; 4xx, timeouts and connection errors are transient. */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const e = error as { responseCode?: unknown; message?: unknown; response?: unknown };
  const code = typeof e?.responseCode === 'number' ? e.responseCode : undefined;
  const message = String(e?.response ?? e?.message ?? error).slice(0, 500);
  return new DeliveryError(message, code !== undefined && code >= 500 && code < 600, code);
}
