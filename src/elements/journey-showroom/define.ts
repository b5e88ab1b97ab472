import { define } from '../../internal/define.js';
import { DmJourneyShowroom } from './journey-showroom.js';

export { DmJourneyShowroom };

define('dm-journey-showroom', DmJourneyShowroom);

declare global {
  interface HTMLElementTagNameMap {
    'dm-journey-showroom': DmJourneyShowroom;
  }
}
