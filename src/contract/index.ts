/**
 * The DM Kit HTTP contract: zod schemas for every request, response and event, shared by the SDK
 * (response validation), the reference server (request validation) and `/openapi.json`.
 */
export * from './common.js';
export * from './errors.js';
export * from './identity.js';
export * from './journeys.js';
export * from './contacts.js';
export * from './sends.js';
export * from './approvals.js';
export * from './engagement.js';
