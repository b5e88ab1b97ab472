import { define } from '../../internal/define.js';
import { DmEngagementChart } from './engagement-chart.js';

export { DmEngagementChart };

define('dm-engagement-chart', DmEngagementChart);

declare global {
  interface HTMLElementTagNameMap {
    'dm-engagement-chart': DmEngagementChart;
  }
}
