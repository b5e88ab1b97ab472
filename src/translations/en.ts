import type { PluralMessage } from './types.js';

/**
 * English strings. This table defines the key set: every other locale is type-checked against it,
 * so a key added here and missing elsewhere fails `tsc`.
 *
 * Placeholders use `{name}`; plural messages pick a form with `Intl.PluralRules` from `{count}`.
 */
export const en = {
  'state.loading': 'Loading…',
  'state.retry': 'Try again',
  'state.loadingMore': 'Loading more…',

  'error.validation': 'The request was not accepted. Check the filters and try again.',
  'error.auth': 'You are not signed in, or your session has expired. Sign in again to continue.',
  'error.forbidden': 'You do not have permission to see this.',
  'error.not_found': 'This could not be found. It may have been removed.',
  'error.conflict': 'This changed while you were working. Reload and try again.',
  'error.rate_limited': 'Too many requests. Wait a moment and try again.',
  'error.server': 'The service is having trouble right now. Try again in a moment.',
  'error.network': 'Could not reach the service. Check your connection and try again.',
  'error.timeout': 'The service took too long to answer. Try again.',
  'error.aborted': 'The request was cancelled.',
  'error.invalid_response': 'The service sent an unexpected answer. Try again later.',
  'error.unknown': 'Something went wrong. Try again.',
  'error.noClient': 'Not connected: place this inside a <dm-provider> or set base-url.',

  'category.all': 'All categories',
  'category.onboarding': 'Onboarding',
  'category.thank_you': 'Thank you',
  'category.follow_up': 'Meeting follow-up',
  'category.reminder': 'Reminder',
  'category.offer': 'Offer',
  'category.promotion': 'Promotion',
  'category.event': 'Event',
  'category.newsletter': 'Newsletter',

  'locale.en': 'English',
  'locale.zh-CN': 'Simplified Chinese',

  'sort.newest': 'Newest',
  'sort.most_used': 'Most used',
  'sort.best_results': 'Best network results',
  'sort.name': 'Name',

  'showroom.label': 'Journey showroom',
  'showroom.search': 'Search journeys',
  'showroom.searchPlaceholder': 'Search by name or topic',
  'showroom.category': 'Category',
  'showroom.sort': 'Sort by',
  'showroom.found': { one: '{count} journey found', other: '{count} journeys found' } satisfies PluralMessage,
  'showroom.showing': 'Showing {shown} of {total}',
  'showroom.steps': { one: '{count} step', other: '{count} steps' } satisfies PluralMessage,
  'showroom.kind.journey': 'Journey',
  'showroom.kind.template': 'One-off template',
  'showroom.localeBadge': 'Language: {language}',
  'showroom.approvalRequired': 'Approval required',
  'showroom.openRate': '{rate} opened across the network',
  'showroom.use': 'Use this journey',
  'showroom.selected': 'Selected',
  'showroom.loadMore': 'Load more',
  'showroom.loadMoreError': 'Could not load more journeys.',
  'showroom.empty': 'No journeys are available yet.',
  'showroom.emptyFiltered': 'No journeys match your search or filters.',
  'showroom.clearFilters': 'Clear filters',
} as const;

export type EnglishTable = typeof en;
