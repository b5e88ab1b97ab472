import type { JourneySummary } from '../contract/journeys.js';

export interface DmJourneySelectDetail {
  readonly journey: JourneySummary;
}

/**
 * The user chose a journey ("Use this journey"). Cancelable: call `preventDefault()` to take over
 * (e.g. open your own flow); the element then does not mark the journey as selected.
 */
export class DmJourneySelectEvent extends Event {
  static readonly eventName = 'dm-journey-select';
  readonly detail: DmJourneySelectDetail;

  constructor(detail: DmJourneySelectDetail) {
    super(DmJourneySelectEvent.eventName, { bubbles: true, composed: true, cancelable: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'dm-journey-select': DmJourneySelectEvent;
  }
}
