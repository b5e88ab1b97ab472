import { define } from '../../internal/define.js';
import { DmApprovalQueue } from './approval-queue.js';

export { DmApprovalQueue };

define('dm-approval-queue', DmApprovalQueue);

declare global {
  interface HTMLElementTagNameMap {
    'dm-approval-queue': DmApprovalQueue;
  }
}
