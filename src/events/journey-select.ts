import type { JourneySummary } from '../contract/journeys.js';

export interface DmJourneySelectDetail {
  readonly journey: JourneySummary;
  /**
   * The `for` attribute of the showroom that fired the event: the id of the `<dm-quick-send>` that should
   * take the journey. Absent when the showroom has no `for`; a lone quick-send on the page then takes it.
   */
  readonly for?: string;
}

/**
 * The user chose a journey ("Use this journey"). Cancelable: call `preventDefault()` to take over
 * (e.g. open your own flow); the element then does not mark the journey as selected, and a linked
 * `<dm-quick-send>` does not open it.
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
