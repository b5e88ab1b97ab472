/**
 * React components for the DM Kit elements (`dm-kit/react`), made with `@lit/react`: properties such
 * as `client`, `getToken` or `contactIds` are set as element properties (not attributes), and every
 * `dm-*` event has an `on…` prop. Importing this module registers the tags it wraps.
 *
 * ```tsx
 * import { DmProvider, DmJourneyShowroom } from 'dm-kit/react';
 *
 * <DmProvider client={client}>
 *   <DmJourneyShowroom onJourneySelect={(e) => open(e.detail.journey)} />
 * </DmProvider>
 * ```
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
// The provider registers first, so elements that connect inside it find it at once.
import { DmProvider } from '../elements/provider/define.js';
import { DmJourneyShowroom } from '../elements/journey-showroom/define.js';
import { DmQuickSend } from '../elements/quick-send/define.js';
import { DmApprovalQueue } from '../elements/approval-queue/define.js';
import type {
  DmApprovalConflictEvent,
  DmApprovalDecidedEvent,
  DmCancelEvent,
  DmErrorEvent,
  DmJourneySelectEvent,
  DmSendFailedEvent,
  DmSendSubmittedEvent,
} from '../events/index.js';

/** `dm-error`: loading failed; `event.detail.error` is the `DmApiError`. */
const onError = 'dm-error' as EventName<DmErrorEvent>;

/** `<dm-provider>`: gives the elements inside it a client, a locale and a theme. */
export const DmProviderComponent = createComponent({
  react: React,
  tagName: 'dm-provider',
  elementClass: DmProvider,
  displayName: 'DmProvider',
  events: {},
});

/** `<dm-journey-showroom>`: the catalogue of journeys and templates the partner may use. */
export const DmJourneyShowroomComponent = createComponent({
  react: React,
  tagName: 'dm-journey-showroom',
  elementClass: DmJourneyShowroom,
  displayName: 'DmJourneyShowroom',
  events: {
    /** "Use this journey" was pressed (cancelable); `event.detail.journey`. */
    onJourneySelect: 'dm-journey-select' as EventName<DmJourneySelectEvent>,
    onError,
  },
});

/** `<dm-quick-send>`: pick contacts, personalize, preview and send a journey. */
export const DmQuickSendComponent = createComponent({
  react: React,
  tagName: 'dm-quick-send',
  elementClass: DmQuickSend,
  displayName: 'DmQuickSend',
  events: {
    /** The server accepted the send; `event.detail.sendId`. */
    onSendSubmitted: 'dm-send-submitted' as EventName<DmSendSubmittedEvent>,
    /** Creating the send failed; `event.detail.error`. */
    onSendFailed: 'dm-send-failed' as EventName<DmSendFailedEvent>,
    /** The user pressed Cancel or Escape. */
    onCancel: 'dm-cancel' as EventName<DmCancelEvent>,
    onError,
  },
});

/** `<dm-approval-queue>`: the approver's desk. */
export const DmApprovalQueueComponent = createComponent({
  react: React,
  tagName: 'dm-approval-queue',
  elementClass: DmApprovalQueue,
  displayName: 'DmApprovalQueue',
  events: {
    /** The server accepted a decision; `event.detail.id`, `.decision`, `.approval`. */
    onApprovalDecided: 'dm-approval-decided' as EventName<DmApprovalDecidedEvent>,
    /** A decision lost to another approver or a newer version (409); `event.detail.current`. */
    onApprovalConflict: 'dm-approval-conflict' as EventName<DmApprovalConflictEvent>,
    onError,
  },
});

export {
  DmProviderComponent as DmProvider,
  DmJourneyShowroomComponent as DmJourneyShowroom,
  DmQuickSendComponent as DmQuickSend,
  DmApprovalQueueComponent as DmApprovalQueue,
};
