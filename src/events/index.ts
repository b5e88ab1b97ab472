export { DmErrorEvent, type DmErrorDetail } from './error.js';
export { DmJourneySelectEvent, type DmJourneySelectDetail } from './journey-select.js';
export * from './send.js';
export * from './approval.js';
export * from './engagement.js';
