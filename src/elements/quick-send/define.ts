import { define } from '../../internal/define.js';
import { DmQuickSend } from './quick-send.js';

export { DmQuickSend };

define('dm-quick-send', DmQuickSend);

declare global {
  interface HTMLElementTagNameMap {
    'dm-quick-send': DmQuickSend;
  }
}
