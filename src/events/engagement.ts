/** A metric `<dm-engagement-chart>` can plot and drill into. */
export type EngagementMetric =
  'delivered' | 'opened' | 'machineOpened' | 'clicked' | 'bounced' | 'unsubscribed';

export interface DmRangeChangeDetail {
  /** Start of the range (inclusive), ISO 8601. */
  readonly from: string;
  /** End of the range (exclusive), ISO 8601. */
  readonly to: string;
  readonly interval: 'day' | 'week' | 'month';
}

/** The user picked another range or interval; the chart reloads for it. */
export class DmRangeChangeEvent extends Event {
  static readonly eventName = 'dm-range-change';
  readonly detail: DmRangeChangeDetail;

  constructor(detail: DmRangeChangeDetail) {
    super(DmRangeChangeEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

export interface DmDrilldownDetail {
  /** Start of the bucket (ISO 8601) whose recipients are listed. */
  readonly at: string;
  readonly metric: EngagementMetric;
}

/**
 * The user opened the recipients behind a point or bar (click, or Enter on the active point).
 * Cancelable: `preventDefault()` keeps the chart from showing its own recipient table.
 */
export class DmDrilldownEvent extends Event {
  static readonly eventName = 'dm-drilldown';
  readonly detail: DmDrilldownDetail;

  constructor(detail: DmDrilldownDetail) {
    super(DmDrilldownEvent.eventName, { bubbles: true, composed: true, cancelable: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'dm-range-change': DmRangeChangeEvent;
    'dm-drilldown': DmDrilldownEvent;
  }
}
