/**
 * The part of Chart.js `<dm-engagement-chart>` uses, registered on first use. Loaded with `import()`
 * on first render, so bundles keep it in a separate chunk and pages without a chart never download it.
 * Linear and category scales with labels formatted by the element: no date adapter.
 *
 * Registration is a call inside `chartClass()`, not a top-level statement: bundlers drop top-level
 * side effects of modules the package declares free of them, which left the scales unregistered.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Decimation,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

let registered = false;

/** Chart.js with the controllers, elements, scales and plugins the element uses registered. */
export function chartClass(): typeof Chart {
  if (!registered) {
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
      Decimation,
    );
    registered = true;
  }
  return Chart;
}

export { Chart };
export type { ChartConfiguration, ChartDataset, ChartEvent, ActiveElement } from 'chart.js';
