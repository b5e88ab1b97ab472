/**
 * Machine-open and machine-click classification, stored as `events.machine` with the reason in
 * `events.meta.machineReason`. Both counts are kept (`opens` vs `machineOpens`); the API never mixes
 * them, and clicks stay the primary signal because most machine activity is opens.
 *
 * What counts as a machine:
 * - no user agent, or a known scanner / security gateway / HTTP library user agent;
 * - Apple Mail Privacy Protection: the proxy fetches every image at delivery with a bare
 *   `Mozilla/5.0` user agent from Apple's `17.0.0.0/8` network;
 * - prefetching proxies (Yahoo);
 * - anything within 2 seconds of delivery (no person opens, let alone clicks, that fast);
 * - clicks: a `HEAD` request, or a burst — the 3rd click on the same message within 2 seconds
 *   (scanners follow every link at once).
 *
 * Image proxies that fetch when the reader opens the message (Gmail's `GoogleImageProxy`) are human.
 */

export type MachineReason =
  'no_user_agent' | 'scanner' | 'privacy_proxy' | 'prefetch' | 'too_fast' | 'head_request' | 'burst';

export interface Classification {
  machine: boolean;
  /** Why it is a machine; `null` for a person. */
  reason: MachineReason | null;
}

/** Scanners, security gateways, crawlers and HTTP libraries. */
export const SCANNER_USER_AGENT =
  /bot\b|bot\/|crawler|spider|scanner|barracuda|proofpoint|mimecast|symantec|forcepoint|trendmicro|trend micro|sophos|fortinet|fortiguard|cisco|ironport|zscaler|paloalto|checkpoint|messagelabs|microsoft office protection|safelinks|bingpreview|python-requests|python-urllib|aiohttp|curl\/|wget|go-http-client|java\/|okhttp|axios|node-fetch|undici|libwww|httpclient|headless|phantomjs|slurp/i;

/** Proxies that fetch images before anyone reads the message. */
const PREFETCH_USER_AGENT = /yahoomailproxy|yahoo! slurp/i;

/** Seconds after delivery within which an open or click is taken to be a machine's. */
export const TOO_FAST_MS = 2_000;

/** Clicks on one message within this window count towards a burst. */
export const BURST_WINDOW_MS = 2_000;
/** The click that makes this many within the window (and every later one) is a machine's. */
export const BURST_THRESHOLD = 3;

export interface OpenSignal {
  userAgent: string | null | undefined;
  /** When the message was delivered (`null` when unknown). */
  deliveredAt: Date | null | undefined;
  /** When the open happened. */
  at: Date;
  /** The client IP, when known. */
  ip?: string | null | undefined;
}

export interface ClickSignal extends OpenSignal {
  /** HTTP method of the click request. */
  method?: string | undefined;
  /** Earlier clicks on the same message (any link), e.g. from {@link ClickBurstDetector}. */
  recentClicks?: readonly Date[] | undefined;
}

const human: Classification = { machine: false, reason: null };
const machine = (reason: MachineReason): Classification => ({ machine: true, reason });

function common(signal: OpenSignal): Classification | null {
  const userAgent = (signal.userAgent ?? '').trim();
  if (!userAgent) return machine('no_user_agent');
  if (SCANNER_USER_AGENT.test(userAgent)) return machine('scanner');
  if (PREFETCH_USER_AGENT.test(userAgent)) return machine('prefetch');
  if (userAgent === 'Mozilla/5.0' || isAppleProxyIp(signal.ip)) return machine('privacy_proxy');
  if (signal.deliveredAt && signal.at.getTime() - signal.deliveredAt.getTime() < TOO_FAST_MS) {
    return machine('too_fast');
  }
  return null;
}

/** Classifies an open-pixel fetch. */
export function classifyOpen(signal: OpenSignal): Classification {
  return common(signal) ?? human;
}

/** Classifies a click. */
export function classifyClick(signal: ClickSignal): Classification {
  if ((signal.method ?? 'GET').toUpperCase() === 'HEAD') return machine('head_request');
  const verdict = common(signal);
  if (verdict) return verdict;
  const since = signal.at.getTime() - BURST_WINDOW_MS;
  const recent = (signal.recentClicks ?? []).filter((d) => {
    const t = d.getTime();
    return t >= since && t <= signal.at.getTime();
  }).length;
  if (recent + 1 >= BURST_THRESHOLD) return machine('burst');
  return human;
}

/** `17.0.0.0/8` belongs to Apple; Mail Privacy Protection fetches from there. */
function isAppleProxyIp(ip: string | null | undefined): boolean {
  if (!ip) return false;
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return /^17\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * Remembers recent clicks per message (bounded, oldest message forgotten first) to feed
 * `classifyClick({ recentClicks })`. In-process: with several server processes a burst split across
 * them is seen partly, which only makes the detector more lenient.
 */
export class ClickBurstDetector {
  readonly #clicks = new Map<string, number[]>();

  constructor(private readonly options: { windowMs?: number; maxMessages?: number } = {}) {}

  /** The clicks on `messageKey` within the window before `at`, then records this one. */
  observe(messageKey: string, at: Date): Date[] {
    const windowMs = this.options.windowMs ?? BURST_WINDOW_MS;
    const now = at.getTime();
    const previous = (this.#clicks.get(messageKey) ?? []).filter((t) => now - t <= windowMs);
    this.#clicks.delete(messageKey);
    this.#clicks.set(messageKey, [...previous, now]);
    const max = this.options.maxMessages ?? 10_000;
    while (this.#clicks.size > max) {
      const oldest = this.#clicks.keys().next().value;
      if (oldest === undefined) break;
      this.#clicks.delete(oldest);
    }
    return previous.map((t) => new Date(t));
  }
}
