/**
 * The part of Chart.js `<dm-engagement-chart>` uses, registered once. Loaded with `import()` on first
 * render, so bundles keep it in a separate chunk and pages without a chart never download it.
 * Linear and category scales with labels formatted by the element: no date adapter.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Decimation,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(
  LineController,
  BarController,
  LineElement,
  BarElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Tooltip,
  Legend,
  Filler,
  Decimation,
);

export { Chart };
export type { ChartConfiguration, ChartDataset, ChartEvent, ActiveElement } from 'chart.js';
