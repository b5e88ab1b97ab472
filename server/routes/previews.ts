import { createRoute } from '@hono/zod-openapi';
import {
  Preview,
  PreviewBatch,
  PreviewBatchRequest,
  PreviewRequest,
  type Locale,
  type PreviewBatchItem,
  type PreviewIssue,
} from '../../src/contract/index.js';
import { compileStep, mergeData, missingIssues, renderMessage } from '../domain/render.js';
import { checkPersonalization } from '../domain/rules.js';
import {
  effectivePersonalization,
  loadJourney,
  loadParties,
  loadRecipients,
  recipientIssues,
  renderContact,
  senderPartnerId,
  stepsInScope,
} from '../domain/sending.js';
import type { App } from '../env.js';
import { ApiError } from '../errors.js';
import { errorResponses, json, jsonBody } from './shared.js';

const preview = createRoute({
  method: 'post',
  path: '/v1/previews',
  tags: ['sends'],
  summary: 'Render one recipient’s email exactly as it will be sent, with preflight issues',
  description:
    'Subject, HTML and text come from the same renderer the outbox worker uses (links are shown with ' +
    'their real targets instead of tracking URLs, and there is no open pixel). `issues` lists missing merge ' +
    'data (warning, with the fallback used), suppressed/unsubscribed/bounced contacts and missing consent ' +
    '(blocking), rule violations (blocking, `field` = block id) and a missing postal address footer.',
  request: { body: jsonBody(PreviewRequest) },
  responses: { 200: json(Preview, 'The rendered email and its issues'), ...errorResponses },
});

const previewBatch = createRoute({
  method: 'post',
  path: '/v1/previews/batch',
  tags: ['sends'],
  summary: 'Issues for many recipients at once (no HTML)',
  request: { body: jsonBody(PreviewBatchRequest) },
  responses: { 200: json(PreviewBatch, 'Per-recipient issues and a summary'), ...errorResponses },
});

const statusOf = (issues: PreviewIssue[]): PreviewBatchItem['status'] =>
  issues.some((i) => i.severity === 'blocking') ? 'blocking' : issues.length ? 'warning' : 'ok';

export function registerPreviews(app: App) {
  app.openapi(preview, async (c) => {
    const { db, publicUrl } = c.get('deps');
    const caller = c.get('caller');
    const partnerId = senderPartnerId(caller);
    const body = c.req.valid('json');
    const journey = await loadJourney(db, caller, body.journeyId);
    const [step] = stepsInScope(journey.steps, 'quick', body.stepId);
    const { recipients } = await loadRecipients(db, caller.brand.id, partnerId, [body.contactId]);
    const recipient = recipients[0];
    // Other partners' contacts and unknown ids get the same answer.
    if (!recipient) {
      throw new ApiError(404, 'not_found', 'contact not found', [
        { path: 'body.contactId', message: 'unknown contact' },
      ]);
    }
    const parties = await loadParties(db, caller.brand.id, partnerId);
    const rendered = await renderMessage({
      step: step!,
      mergeFields: journey.mergeFields,
      personalization: body.personalization,
      locale: journey.locale as Locale,
      ...parties,
      senderName: caller.name,
      contact: renderContact(recipient.contact),
      publicUrl,
      tracking: null,
    });
    const issues = [
      ...recipientIssues(recipient),
      ...checkPersonalization(journey.steps, body.personalization),
      ...rendered.issues.filter((i) => i.code !== 'rule_violation' && i.code !== 'required'),
    ];
    return c.json(
      {
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
        issues,
        from: `${rendered.from.name} <${rendered.from.address}>`,
        replyTo: rendered.replyTo,
      },
      200,
    );
  });

  app.openapi(previewBatch, async (c) => {
    const { db } = c.get('deps');
    const caller = c.get('caller');
    const partnerId = senderPartnerId(caller);
    const body = c.req.valid('json');
    const journey = await loadJourney(db, caller, body.journeyId);
    const [step] = stepsInScope(journey.steps, 'quick', body.stepId);
    const locale = journey.locale as Locale;
    const { recipients, missing } = await loadRecipients(db, caller.brand.id, partnerId, body.contactIds);
    if (missing.length) {
      throw new ApiError(
        404,
        'not_found',
        `${missing.length} contact(s) not found`,
        missing.slice(0, 200).map((i) => ({ path: `body.contactIds.${i}`, message: 'unknown contact' })),
      );
    }
    const parties = await loadParties(db, caller.brand.id, partnerId);
    const shared = checkPersonalization(journey.steps, body.personalization);
    const base = compileStep(step!, body.personalization, locale);
    const items: PreviewBatchItem[] = [];
    const byCode: Record<string, number> = {};
    const summary = { recipients: recipients.length, ok: 0, warning: 0, blocking: 0, byCode };
    for (const r of recipients) {
      const override = body.overrides[r.contact.id];
      let compiled = base;
      const issues = recipientIssues(r);
      if (override) {
        const merged = effectivePersonalization(body.personalization, override);
        compiled = compileStep(step!, merged, locale);
        for (const issue of checkPersonalization(journey.steps, merged)) {
          if (issue.field !== undefined && issue.field in override) issues.push(issue);
        }
      }
      const { missing: absent } = mergeData(
        {
          ...parties,
          senderName: caller.name,
          contact: renderContact(r.contact),
          mergeFields: journey.mergeFields,
        },
        compiled.keys,
      );
      if (absent.length) issues.push(...missingIssues(absent));
      const status = statusOf(issues);
      summary[status]++;
      const codes = new Set(issues.map((i) => i.code));
      for (const code of codes) byCode[code] = (byCode[code] ?? 0) + 1;
      const name = [r.contact.firstName, r.contact.lastName].filter(Boolean).join(' ') || null;
      items.push({ contactId: r.contact.id, email: r.contact.email, name, status, issues });
    }
    return c.json({ items, summary, issues: shared }, 200);
  });
}
