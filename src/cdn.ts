/**
 * Script-tag entry: `<script type="module" src=".../dm-kit.js">` defines every element.
 * Safe to load twice (tags already defined are skipped) and in any order relative to the markup.
 * Imports run in order: page setup, then the provider, then the elements.
 * Exports what `index.ts` does except the Chinese table (fetched only for a page that shows Chinese).
 */
import './cdn-setup.js';
import './elements/provider/define.js';
import './elements/journey-showroom/define.js';
import './elements/quick-send/define.js';
import './elements/approval-queue/define.js';
import './elements/engagement-chart/define.js';

export * from './exports.js';
