import {
  BlockRules,
  type ApprovalRule,
  type Block,
  type Category,
  type JourneyKind,
  type Locale,
  type MergeField,
  type Step,
  type Tier,
} from '../../src/contract/index.js';

/** A demo journey or template as the brand published it, plus how partners tend to use it. */
export interface DemoJourney {
  id: string;
  kind: JourneyKind;
  status: 'draft' | 'published' | 'archived';
  name: string;
  summary: string;
  category: Category;
  locale: Locale;
  tags: string[];
  tiers: Tier[];
  regions: string[];
  steps: Step[];
  mergeFields: MergeField[];
  approvalRule: ApprovalRule;
  /** Days before `now` the brand created it. */
  createdDaysAgo: number;
  /** How often partners pick it (relative weight; 0 = never sent). */
  popularity: number;
  /** Typical audience size of one send: [min, max] recipients. */
  audience: [number, number];
  /** Per step: share of delivered recipients who open (a person, not a machine) and who click. */
  openRate: number;
  clickRate: number;
}

const BRAND_SITE = 'https://aurora-motors.example';
const ASSETS = 'assets.aurora-motors.example';

const rules = (r: Partial<BlockRules>): BlockRules => BlockRules.parse(r);

const RESTRICTED_EN = [
  'free',
  'guaranteed',
  'cheapest',
  'best price',
  'risk-free',
  'no-brainer',
  'lowest price',
];
const RESTRICTED_ZH = ['免费', '最便宜', '保证', '第一', '最低价', '全网最低'];
/** Partners may not quote their own finance rates or prices; the brand's offer terms do that. */
const NO_RATES = ['\\b\\d+([.,]\\d+)?\\s?%\\s?(APR|apr|effektiv)', '[€$¥]\\s?\\d'];

// ---- blocks ---------------------------------------------------------------------------------------

const header = (locale: Locale): Block => ({
  id: 'header',
  kind: 'header',
  label: locale === 'zh-CN' ? '品牌页眉' : 'Brand header',
  locked: true,
  content:
    `<a href="${BRAND_SITE}"><img src="https://${ASSETS}/email/logo-aurora.png" alt="Aurora Motors" ` +
    'width="168" height="40"></a>',
});

const legal = (locale: Locale): Block => ({
  id: 'legal',
  kind: 'legal',
  label: locale === 'zh-CN' ? '法律声明' : 'Legal footer',
  locked: true,
  content:
    locale === 'zh-CN'
      ? '<p>本邮件由 {{ partner.name }}（极光汽车授权经销商）发送。{{ partner.postal_address }}</p>' +
        '<p>极光汽车（Aurora Motors GmbH），Am Hafen 1, 20457 Hamburg, Germany。' +
        '如不希望再收到此类邮件，请<a href="{{ unsubscribe_url }}">退订</a>。</p>'
      : '<p>You receive this email because you are a customer of {{ partner.name }}, an authorised ' +
        'Aurora Motors partner. {{ partner.postal_address }}</p>' +
        '<p>Aurora Motors GmbH, Am Hafen 1, 20457 Hamburg, Germany. ' +
        '<a href="{{ unsubscribe_url }}">Unsubscribe</a> at any time.</p>',
});

const signature = (locale: Locale): Block => ({
  id: 'signature',
  kind: 'footer',
  label: locale === 'zh-CN' ? '签名' : 'Signature',
  locked: true,
  content:
    locale === 'zh-CN'
      ? '<p>此致<br>{{ sender.signature }}</p>'
      : '<p>Kind regards,<br>{{ sender.signature }}</p>',
});

/** An editable text block with the brand's usual rules. */
const editable = (
  id: string,
  label: string,
  content: string,
  locale: Locale,
  r: Partial<BlockRules> = {},
): Block => ({
  id,
  kind: 'text',
  label,
  locked: false,
  content,
  rules: rules({
    maxLength: 600,
    format: 'basic',
    restrictedWords: locale === 'zh-CN' ? RESTRICTED_ZH : RESTRICTED_EN,
    restrictedPatterns: NO_RATES,
    ...r,
  }),
});

/** A locked text block (offer terms, brand statements). */
const lockedText = (id: string, label: string, content: string): Block => ({
  id,
  kind: 'text',
  label,
  locked: true,
  content,
});

const hero = (id: string, file: string, alt: string, editableImage = false): Block => ({
  id,
  kind: 'image',
  label: editableImage ? 'Photo (your own, from approved libraries)' : 'Hero image',
  locked: !editableImage,
  content: `<img src="https://${ASSETS}/email/${file}" alt="${alt}" width="600">`,
  ...(editableImage
    ? { rules: rules({ allowedImageDomains: [ASSETS, 'images.aurora-partners.example'], format: 'plain' }) }
    : {}),
});

const button = (id: string, label: string, text: string, path: string): Block => ({
  id,
  kind: 'button',
  label,
  locked: true,
  content: `<a class="button" href="${BRAND_SITE}${path}">${text}</a>`,
});

const greeting = (locale: Locale, id = 'greeting'): Block =>
  editable(
    id,
    locale === 'zh-CN' ? '称呼' : 'Greeting',
    locale === 'zh-CN' ? '{{ contact.first_name }}，您好！' : 'Hi {{ contact.first_name }},',
    locale,
    { required: true, maxLength: 80, format: 'plain' },
  );

const step = (
  id: string,
  name: string,
  delayDays: number,
  subject: string,
  preheader: string,
  locale: Locale,
  body: Block[],
): Step => ({
  id,
  name,
  delayDays,
  subject,
  preheader,
  blocks: [header(locale), ...body, signature(locale), legal(locale)],
});

const mergeFields = (locale: Locale, extra: MergeField[] = []): MergeField[] =>
  locale === 'zh-CN'
    ? [
        { key: 'contact.first_name', label: '名字', fallback: '尊敬的客户' },
        { key: 'partner.name', label: '经销商名称', fallback: '您的极光汽车经销商' },
        { key: 'partner.postal_address', label: '经销商地址', fallback: '' },
        { key: 'sender.signature', label: '签名', fallback: '极光汽车团队' },
        ...extra,
      ]
    : [
        { key: 'contact.first_name', label: 'First name', fallback: 'there' },
        { key: 'partner.name', label: 'Partner name', fallback: 'your Aurora Motors partner' },
        { key: 'partner.postal_address', label: 'Partner address', fallback: '' },
        { key: 'sender.signature', label: 'Signature', fallback: 'Your Aurora Motors team' },
        ...extra,
      ];

const VEHICLE: MergeField = { key: 'contact.vehicle', label: 'Vehicle model', fallback: 'your Aurora' };
const COMPANY: MergeField = { key: 'contact.company', label: 'Company', fallback: 'your company' };

const NEVER: ApprovalRule = { mode: 'never', approver: 'partner_manager' };
const ALWAYS_BRAND: ApprovalRule = { mode: 'always', approver: 'brand_compliance' };
const EDITED: ApprovalRule = { mode: 'edited', approver: 'partner_manager' };
const WARNINGS: ApprovalRule = { mode: 'warnings', approver: 'brand_compliance' };
const over = (threshold: number): ApprovalRule => ({
  mode: 'over_recipients',
  threshold,
  approver: 'partner_manager',
});

// ---- the catalogue --------------------------------------------------------------------------------

export const DEMO_JOURNEYS: DemoJourney[] = [
  {
    id: 'j_welcome_new_owner',
    kind: 'journey',
    status: 'published',
    name: 'Welcome, new owner',
    summary: 'Three emails over the first month: a welcome, the app and service plan, and a check-in.',
    category: 'onboarding',
    locale: 'en',
    tags: ['new car', 'delivery', 'app', 'service plan'],
    tiers: [],
    regions: [],
    mergeFields: mergeFields('en', [VEHICLE]),
    approvalRule: NEVER,
    createdDaysAgo: 380,
    popularity: 9,
    audience: [2, 14],
    openRate: 0.42,
    clickRate: 0.19,
    steps: [
      step(
        'welcome',
        'Welcome',
        0,
        'Welcome to the Aurora family, {{ contact.first_name }}',
        'Your new car, your partner, your next steps',
        'en',
        [
          hero('hero', 'welcome-keys.jpg', 'A new Aurora handed over at the showroom'),
          greeting('en'),
          editable(
            'intro',
            'Personal welcome',
            '<p>Thank you for choosing {{ partner.name }}. We hope you enjoy every kilometre in {{ contact.vehicle }}.</p>',
            'en',
            { required: true },
          ),
          button('cta', 'Owner portal button', 'Open your owner portal', '/owners'),
        ],
      ),
      step(
        'app',
        'The Aurora app and your service plan',
        7,
        'Get more from your Aurora with the app',
        'Remote climate, charging and service booking',
        'en',
        [
          greeting('en', 'app_greeting'),
          lockedText(
            'app_features',
            'App features',
            '<ul><li>Pre-heat or cool your car remotely</li><li>Plan charging stops</li><li>Book your service in two taps</li></ul>',
          ),
          editable(
            'app_note',
            'Your tip',
            '<p>Our team is happy to set the app up with you at your first visit.</p>',
            'en',
            {
              maxLength: 300,
            },
          ),
          button('app_cta', 'App button', 'Download the Aurora app', '/app'),
        ],
      ),
      step(
        'checkin',
        'One-month check-in',
        30,
        'How is your first month going, {{ contact.first_name }}?',
        'A quick question from your dealer',
        'en',
        [
          greeting('en', 'checkin_greeting'),
          editable(
            'checkin_body',
            'Check-in message',
            '<p>It has been a month since you collected your car. If anything needs adjusting, reply to this email and we will take care of it.</p>',
            'en',
            { required: true },
          ),
        ],
      ),
    ],
  },
  {
    id: 'j_thank_you_purchase',
    kind: 'template',
    status: 'published',
    name: 'Thank you for your purchase',
    summary: 'A short personal thank-you the day the customer collects the car.',
    category: 'thank_you',
    locale: 'en',
    tags: ['delivery', 'personal', 'quick'],
    tiers: [],
    regions: [],
    mergeFields: mergeFields('en', [VEHICLE]),
    approvalRule: NEVER,
    createdDaysAgo: 372,
    popularity: 8,
    audience: [1, 4],
    openRate: 0.71,
    clickRate: 0.18,
    steps: [
      step(
        'main',
        'Thank you',
        0,
        'Thank you, {{ contact.first_name }}',
        'It was a pleasure to hand over your new car',
        'en',
        [
          greeting('en'),
          editable(
            'message',
            'Your message',
            '<p>Thank you for trusting {{ partner.name }} with your new {{ contact.vehicle }}. It was a pleasure to hand over the keys today.</p>',
            'en',
            { required: true, maxLength: 500 },
          ),
          hero('photo', 'handover-generic.jpg', 'Handover photo', true),
        ],
      ),
    ],
  },
  {
    id: 'j_test_drive_follow_up',
    kind: 'template',
    status: 'published',
    name: 'Test drive follow-up',
    summary: 'Follow up after a test drive with the model details and an easy way to book a second drive.',
    category: 'follow_up',
    locale: 'en',
    tags: ['test drive', 'sales', 'quick'],
    tiers: [],
    regions: [],
    mergeFields: mergeFields('en', [VEHICLE]),
    approvalRule: EDITED,
    createdDaysAgo: 355,
    popularity: 10,
    audience: [1, 6],
    openRate: 0.58,
    clickRate: 0.27,
    steps: [
      step(
        'main',
        'Follow-up',
        0,
        'Your test drive in the {{ contact.vehicle }}',
        'The details you asked about, and a second drive',
        'en',
        [
          greeting('en'),
          editable(
            'message',
            'Follow-up message',
            '<p>Thank you for visiting {{ partner.name }} for a test drive. I have put together the details we talked about.</p>',
            'en',
            { required: true },
          ),
          button('cta', 'Book again', 'Book a second test drive', '/test-drive'),
        ],
      ),
    ],
  },
  {
    id: 'j_service_reminder',
    kind: 'template',
    status: 'published',
    name: 'Service due reminder',
    summary: 'Remind a customer that the annual service is due, with a booking link.',
    category: 'reminder',
    locale: 'en',
    tags: ['service', 'aftersales', 'booking'],
    tiers: [],
    regions: [],
    mergeFields: mergeFields('en', [VEHICLE]),
    approvalRule: NEVER,
    createdDaysAgo: 348,
    popularity: 9,
    audience: [3, 30],
    openRate: 0.52,
    clickRate: 0.22,
    steps: [
      step(
        'main',
        'Service reminder',
        0,
        'Your {{ contact.vehicle }} is due for its service',
        'Book a slot that suits you',
        'en',
        [
          greeting('en'),
          editable(
            'message',
            'Reminder text',
            '<p>Your annual service is coming up. Book a slot online or simply reply with a date that suits you.</p>',
            'en',
            { required: true, maxLength: 400 },
          ),
          button('cta', 'Booking button', 'Book your service', '/service'),
        ],
      ),
    ],
  },
  {
    id: 'j_winter_tyres_offer',
    kind: 'template',
    status: 'published',
    name: 'Winter tyre change offer',
    summary: 'Seasonal offer for a winter tyre change with storage, for gold and silver partners in Germany.',
    category: 'offer',
    locale: 'en',
    tags: ['seasonal', 'tyres', 'aftersales', 'winter'],
    tiers: ['gold', 'silver'],
    regions: ['north', 'south', 'east', 'berlin', 'west'],
    mergeFields: mergeFields('en'),
    approvalRule: over(50),
    createdDaysAgo: 88,
    popularity: 6,
    audience: [15, 60],
    openRate: 0.44,
    clickRate: 0.19,
    steps: [
      step(
        'main',
        'Winter tyre offer',
        0,
        'Ready for winter, {{ contact.first_name }}?',
        'Tyre change and storage in one visit',
        'en',
        [
          hero('hero', 'winter-tyres.jpg', 'An Aurora on a snowy road'),
          greeting('en'),
          editable(
            'message',
            'Offer introduction',
            '<p>Frost is on its way. Let {{ partner.name }} change your tyres and store your summer set until spring.</p>',
            'en',
            { maxLength: 400 },
          ),
          lockedText(
            'terms',
            'Offer terms',
            '<p><small>Offer valid at participating Aurora partners until 31 January for Aurora vehicles. Tyre storage for one season. Prices on request.</small></p>',
          ),
          button('cta', 'Booking button', 'Book your tyre change', '/service/tyres'),
        ],
      ),
    ],
  },
  {
    id: 'j_ev_launch_promotion',
    kind: 'journey',
    status: 'published',
    name: 'Aurora e-Volt launch',
    summary: 'Introduce the new all-electric e-Volt: an announcement, then an invitation to drive it.',
    category: 'promotion',
    locale: 'en',
    tags: ['electric', 'launch', 'e-volt', 'test drive'],
    tiers: [],
    regions: [],
    mergeFields: mergeFields('en'),
    approvalRule: ALWAYS_BRAND,
    createdDaysAgo: 120,
    popularity: 8,
    audience: [12, 60],
    openRate: 0.38,
    clickRate: 0.16,
    steps: [
      step(
        'announce',
        'Announcement',
        0,
        'Meet the Aurora e-Volt',
        '520 km of range. Zero compromise.',
        'en',
        [
          hero('hero', 'e-volt-launch.jpg', 'The Aurora e-Volt on a coastal road'),
          greeting('en'),
          lockedText(
            'claims',
            'Product claims',
            '<p>The new e-Volt charges from 10 to 80 % in 18 minutes and goes up to 520 km (WLTP) on a charge.</p>',
          ),
          editable(
            'intro',
            'Your introduction',
            '<p>We have the first e-Volt in our showroom at {{ partner.name }} and would love to show it to you.</p>',
            'en',
            { maxLength: 400 },
          ),
          button('cta', 'Discover button', 'Discover the e-Volt', '/e-volt'),
        ],
      ),
      step(
        'invite',
        'Drive invitation',
        5,
        '{{ contact.first_name }}, drive the e-Volt this week',
        'Book a 30-minute test drive',
        'en',
        [
          greeting('en', 'invite_greeting'),
          editable(
            'invite_body',
            'Invitation',
            '<p>The e-Volt is best understood from the driver seat. Pick a time and we will have one charged and ready.</p>',
            'en',
            { required: true, maxLength: 400 },
          ),
          button('invite_cta', 'Test drive button', 'Book a test drive', '/test-drive?model=e-volt'),
        ],
      ),
    ],
  },
  {
    id: 'j_showroom_open_day',
    kind: 'journey',
    status: 'published',
    name: 'Showroom open day',
    summary: 'Invite customers to a dealer open day: invitation, reminder the day before, thank-you after.',
    category: 'event',
    locale: 'en',
    tags: ['event', 'showroom', 'family', 'invitation'],
    tiers: [],
    regions: ['north', 'south', 'west', 'east', 'berlin'],
    mergeFields: mergeFields('en', [{ key: 'event.date', label: 'Event date', fallback: 'Saturday' }]),
    approvalRule: WARNINGS,
    createdDaysAgo: 200,
    popularity: 5,
    audience: [20, 70],
    openRate: 0.36,
    clickRate: 0.11,
    steps: [
      step(
        'invite',
        'Invitation',
        0,
        'You are invited: open day at {{ partner.name }}',
        'Coffee, test drives and the new e-Volt',
        'en',
        [
          hero('hero', 'open-day.jpg', 'Families in a bright Aurora showroom', true),
          greeting('en'),
          editable(
            'details',
            'Event details',
            '<p>Join us on {{ event.date }} from 10:00 to 16:00 for coffee, test drives and a first look at the new models.</p>',
            'en',
            { required: true, maxLength: 500 },
          ),
          button('rsvp', 'RSVP button', 'Reply to reserve a place', '/events'),
        ],
      ),
      step(
        'reminder',
        'Reminder',
        5,
        'See you tomorrow, {{ contact.first_name }}',
        'Our open day starts at 10:00',
        'en',
        [
          greeting('en', 'reminder_greeting'),
          editable(
            'reminder_body',
            'Reminder',
            '<p>A quick reminder: our open day is tomorrow. We look forward to seeing you.</p>',
            'en',
            {
              maxLength: 300,
            },
          ),
        ],
      ),
      step(
        'thanks',
        'Thank you',
        7,
        'Thank you for visiting {{ partner.name }}',
        'Photos and offers from the day',
        'en',
        [
          greeting('en', 'thanks_greeting'),
          editable(
            'thanks_body',
            'Thank-you note',
            '<p>Thank you for spending the day with us. Here are the highlights.</p>',
            'en',
            {
              maxLength: 400,
            },
          ),
        ],
      ),
    ],
  },
  {
    id: 'j_monthly_newsletter',
    kind: 'template',
    status: 'published',
    name: 'Monthly owner newsletter',
    summary: 'The brand newsletter with room for one local story from your dealership.',
    category: 'newsletter',
    locale: 'en',
    tags: ['newsletter', 'owners', 'monthly'],
    tiers: [],
    regions: [],
    mergeFields: mergeFields('en'),
    approvalRule: over(200),
    createdDaysAgo: 330,
    popularity: 5,
    audience: [40, 110],
    openRate: 0.36,
    clickRate: 0.09,
    steps: [
      step(
        'main',
        'Newsletter',
        0,
        'Aurora News: what is new this month',
        'Stories, tips and news from your dealer',
        'en',
        [
          hero('hero', 'newsletter-banner.jpg', 'Aurora News'),
          lockedText(
            'brand_story',
            'Brand story',
            '<h2>The road ahead</h2><p>This month: the e-Volt launch tour, winter driving tips and the owners club rally.</p>',
          ),
          editable(
            'local_story',
            'Your local story',
            '<h3>News from {{ partner.name }}</h3><p>Tell your customers what is happening at your dealership.</p>',
            'en',
            { maxLength: 1200 },
          ),
          hero('local_photo', 'newsletter-local.jpg', 'Your dealership', true),
        ],
      ),
    ],
  },
  {
    id: 'j_lease_end_journey',
    kind: 'journey',
    status: 'published',
    name: 'Lease ending soon',
    summary: 'Two emails ahead of a lease end: options explained, then a personal appointment offer.',
    category: 'reminder',
    locale: 'en',
    tags: ['lease', 'retention', 'finance'],
    tiers: ['gold'],
    regions: [],
    mergeFields: mergeFields('en', [
      VEHICLE,
      { key: 'contact.lease_end', label: 'Lease end date', fallback: 'soon' },
    ]),
    approvalRule: EDITED,
    createdDaysAgo: 240,
    popularity: 4,
    audience: [4, 20],
    openRate: 0.44,
    clickRate: 0.2,
    steps: [
      step(
        'options',
        'Your options',
        0,
        'Your lease ends {{ contact.lease_end }}',
        'Return, extend or upgrade: your options',
        'en',
        [
          greeting('en'),
          lockedText(
            'options',
            'Lease options',
            '<ul><li>Return the car with a free pre-inspection</li><li>Extend your lease by up to 12 months</li><li>Upgrade to a new Aurora</li></ul>',
          ),
          editable(
            'note',
            'Personal note',
            '<p>I would be glad to go through the options with you.</p>',
            'en',
            { maxLength: 300 },
          ),
        ],
      ),
      step(
        'appointment',
        'Appointment',
        10,
        'Shall we find a time, {{ contact.first_name }}?',
        'A 20-minute lease review',
        'en',
        [
          greeting('en', 'appointment_greeting'),
          editable(
            'appointment_body',
            'Appointment offer',
            '<p>Reply with a day that suits you and we will prepare a personal comparison.</p>',
            'en',
            { required: true, maxLength: 300 },
          ),
        ],
      ),
    ],
  },
  {
    id: 'j_loyalty_upgrade_offer',
    kind: 'template',
    status: 'published',
    name: 'Loyalty upgrade offer',
    summary: 'An exclusive upgrade bonus for loyal customers of gold partners.',
    category: 'offer',
    locale: 'en',
    tags: ['loyalty', 'upgrade', 'exclusive'],
    tiers: ['gold'],
    regions: [],
    mergeFields: mergeFields('en', [VEHICLE]),
    approvalRule: ALWAYS_BRAND,
    createdDaysAgo: 150,
    popularity: 3,
    audience: [10, 40],
    openRate: 0.5,
    clickRate: 0.2,
    steps: [
      step(
        'main',
        'Upgrade offer',
        0,
        'A loyalty bonus for you, {{ contact.first_name }}',
        'Upgrade your {{ contact.vehicle }}',
        'en',
        [
          greeting('en'),
          editable(
            'message',
            'Introduction',
            '<p>As a valued customer of {{ partner.name }}, you can upgrade with a loyalty bonus this quarter.</p>',
            'en',
            { maxLength: 300 },
          ),
          lockedText(
            'terms',
            'Offer terms',
            '<p><small>Loyalty bonus for private customers who have owned an Aurora for at least 24 months. Not combinable with other offers. Valid until the end of the quarter.</small></p>',
          ),
          button('cta', 'Offer button', 'See your upgrade options', '/loyalty'),
        ],
      ),
    ],
  },
  {
    id: 'j_ownership_anniversary',
    kind: 'template',
    status: 'published',
    name: 'Ownership anniversary',
    summary: 'Congratulate a customer on a year with their Aurora, with a small service thank-you.',
    category: 'thank_you',
    locale: 'en',
    tags: ['anniversary', 'loyalty', 'personal'],
    tiers: [],
    regions: [],
    mergeFields: mergeFields('en', [VEHICLE]),
    approvalRule: NEVER,
    createdDaysAgo: 300,
    popularity: 5,
    audience: [2, 12],
    openRate: 0.64,
    clickRate: 0.14,
    steps: [
      step(
        'main',
        'Anniversary',
        0,
        'One year together, {{ contact.first_name }}',
        'Thank you for driving Aurora',
        'en',
        [
          greeting('en'),
          editable(
            'message',
            'Anniversary message',
            '<p>A year ago you drove home in your {{ contact.vehicle }}. Thank you for being part of the {{ partner.name }} family.</p>',
            'en',
            { maxLength: 400 },
          ),
        ],
      ),
    ],
  },
  {
    id: 'j_meeting_follow_up',
    kind: 'template',
    status: 'published',
    name: 'Meeting follow-up',
    summary: 'Recap a sales or fleet meeting with next steps; ideal for business customers.',
    category: 'follow_up',
    locale: 'en',
    tags: ['meeting', 'fleet', 'business', 'quick'],
    tiers: [],
    regions: [],
    mergeFields: mergeFields('en', [COMPANY]),
    approvalRule: NEVER,
    createdDaysAgo: 260,
    popularity: 7,
    audience: [1, 3],
    openRate: 0.74,
    clickRate: 0.12,
    steps: [
      step(
        'main',
        'Follow-up',
        0,
        'Following up on our meeting',
        'Next steps for {{ contact.company }}',
        'en',
        [
          greeting('en'),
          editable(
            'recap',
            'Meeting recap',
            '<p>Thank you for your time today. As discussed, here are the next steps for {{ contact.company }}:</p><ul><li>…</li></ul>',
            'en',
            { required: true, maxLength: 1000 },
          ),
        ],
      ),
    ],
  },
  {
    id: 'j_trade_in_offer',
    kind: 'template',
    status: 'published',
    name: 'Trade-in valuation',
    summary: 'Invite customers with older cars to a no-obligation trade-in valuation.',
    category: 'offer',
    locale: 'en',
    tags: ['trade-in', 'valuation', 'sales'],
    tiers: [],
    regions: [],
    mergeFields: mergeFields('en', [VEHICLE]),
    approvalRule: over(100),
    createdDaysAgo: 180,
    popularity: 6,
    audience: [10, 45],
    openRate: 0.41,
    clickRate: 0.17,
    steps: [
      step(
        'main',
        'Valuation offer',
        0,
        'What is your {{ contact.vehicle }} worth today?',
        'A valuation in 15 minutes',
        'en',
        [
          hero('hero', 'trade-in.jpg', 'An appraiser with a customer'),
          greeting('en'),
          editable(
            'message',
            'Introduction',
            '<p>Used car prices are strong. Come by {{ partner.name }} for a no-obligation valuation of your car.</p>',
            'en',
            { maxLength: 400 },
          ),
          lockedText(
            'terms',
            'Terms',
            '<p><small>Valuation without obligation. Final price after inspection.</small></p>',
          ),
          button('cta', 'Valuation button', 'Request a valuation', '/trade-in'),
        ],
      ),
    ],
  },
  {
    id: 'j_spring_service_promotion',
    kind: 'template',
    status: 'published',
    name: 'Spring check promotion',
    summary: 'A spring vehicle check promotion for silver and bronze partners.',
    category: 'promotion',
    locale: 'en',
    tags: ['seasonal', 'spring', 'service', 'aftersales'],
    tiers: ['silver', 'bronze'],
    regions: [],
    mergeFields: mergeFields('en'),
    approvalRule: over(40),
    createdDaysAgo: 75,
    popularity: 5,
    audience: [15, 70],
    openRate: 0.39,
    clickRate: 0.13,
    steps: [
      step(
        'main',
        'Spring check',
        0,
        'Spring check for your Aurora',
        '25 points checked while you have a coffee',
        'en',
        [
          greeting('en'),
          editable(
            'message',
            'Introduction',
            '<p>Winter is over: time for a spring check at {{ partner.name }}. We look at 25 points while you wait.</p>',
            'en',
            { maxLength: 400 },
          ),
          lockedText(
            'terms',
            'Terms',
            '<p><small>Spring check for Aurora vehicles older than two years. Parts extra.</small></p>',
          ),
          button('cta', 'Booking button', 'Book your spring check', '/service/spring'),
        ],
      ),
    ],
  },
  {
    id: 'j_ev_newsletter',
    kind: 'template',
    status: 'published',
    name: 'Electric driving digest',
    summary: 'A quarterly digest on charging, range and software updates for electric Aurora owners.',
    category: 'newsletter',
    locale: 'en',
    tags: ['electric', 'charging', 'newsletter', 'owners'],
    tiers: ['gold', 'silver'],
    regions: [],
    mergeFields: mergeFields('en'),
    approvalRule: NEVER,
    createdDaysAgo: 140,
    popularity: 3,
    audience: [30, 90],
    openRate: 0.42,
    clickRate: 0.16,
    steps: [
      step(
        'main',
        'Digest',
        0,
        'Your electric driving digest',
        'Charging tips, new software and range in the cold',
        'en',
        [
          hero('hero', 'ev-digest.jpg', 'An Aurora charging at night'),
          lockedText(
            'digest',
            'Digest articles',
            '<h2>Charging smarter</h2><p>Schedule charging for off-peak hours in the app.</p><h2>Software 4.2</h2><p>Better range estimates in cold weather.</p>',
          ),
          editable(
            'local',
            'Your local note',
            '<p>Our charging experts at {{ partner.name }} are happy to help.</p>',
            'en',
            {
              maxLength: 500,
            },
          ),
        ],
      ),
    ],
  },
  {
    id: 'j_zh_delivery_thanks',
    kind: 'template',
    status: 'published',
    name: '新车交付感谢信',
    summary: '在客户提车当天发送的感谢信，附车主服务指南。',
    category: 'thank_you',
    locale: 'zh-CN',
    tags: ['交付', '感谢', '新车'],
    tiers: [],
    regions: ['shanghai'],
    mergeFields: mergeFields('zh-CN'),
    approvalRule: NEVER,
    createdDaysAgo: 210,
    popularity: 8,
    audience: [1, 4],
    openRate: 0.68,
    clickRate: 0.21,
    steps: [
      step(
        'main',
        '感谢信',
        0,
        '感谢您选择极光汽车，{{ contact.first_name }}',
        '恭喜提车！您的车主服务指南',
        'zh-CN',
        [
          greeting('zh-CN'),
          editable(
            'message',
            '感谢内容',
            '<p>感谢您信任{{ partner.name }}。祝您用车愉快，一路平安！如有任何问题，欢迎随时联系我们。</p>',
            'zh-CN',
            { required: true, maxLength: 300 },
          ),
          button('cta', '车主服务按钮', '查看车主服务指南', '/zh/owners'),
        ],
      ),
    ],
  },
  {
    id: 'j_zh_auto_show_invite',
    kind: 'journey',
    status: 'published',
    name: '上海车展试驾邀请',
    summary: '邀请客户参观上海车展极光展台并预约新车试驾：邀请函与活动前提醒。',
    category: 'event',
    locale: 'zh-CN',
    tags: ['车展', '试驾', '活动', '电动车'],
    tiers: [],
    regions: ['shanghai'],
    mergeFields: mergeFields('zh-CN'),
    approvalRule: WARNINGS,
    createdDaysAgo: 70,
    popularity: 6,
    audience: [15, 60],
    openRate: 0.4,
    clickRate: 0.17,
    steps: [
      step('invite', '邀请函', 0, '诚邀您莅临上海车展极光展台', '抢先体验全新 e-Volt 纯电车型', 'zh-CN', [
        hero('hero', 'auto-show-shanghai.jpg', '上海车展极光展台'),
        greeting('zh-CN'),
        editable(
          'details',
          '活动详情',
          '<p>{{ partner.name }}诚挚邀请您参观上海车展极光汽车展台，现场体验全新 e-Volt 纯电车型。</p>',
          'zh-CN',
          { required: true, maxLength: 300 },
        ),
        button('rsvp', '预约按钮', '立即预约试驾', '/zh/auto-show'),
      ]),
      step('reminder', '活动提醒', 3, '明天见！上海车展试驾提醒', '请携带驾驶证参加试驾', 'zh-CN', [
        greeting('zh-CN', 'reminder_greeting'),
        editable(
          'reminder_body',
          '提醒内容',
          '<p>温馨提示：试驾请携带有效驾驶证，我们期待与您见面。</p>',
          'zh-CN',
          {
            maxLength: 200,
          },
        ),
      ]),
    ],
  },
  {
    id: 'j_zh_service_reminder',
    kind: 'template',
    status: 'published',
    name: '车辆保养提醒',
    summary: '提醒车主按时进行年度保养，并提供在线预约入口。',
    category: 'reminder',
    locale: 'zh-CN',
    tags: ['保养', '售后', '预约'],
    tiers: [],
    regions: [],
    mergeFields: mergeFields('zh-CN'),
    approvalRule: NEVER,
    createdDaysAgo: 190,
    popularity: 7,
    audience: [3, 25],
    openRate: 0.55,
    clickRate: 0.25,
    steps: [
      step('main', '保养提醒', 0, '您的爱车该保养了', '在线预约，省时省心', 'zh-CN', [
        greeting('zh-CN'),
        editable(
          'message',
          '提醒内容',
          '<p>您的爱车即将到达年度保养时间。请在线预约，或直接回复本邮件告诉我们方便的时间。</p>',
          'zh-CN',
          { required: true, maxLength: 300 },
        ),
        button('cta', '预约按钮', '在线预约保养', '/zh/service'),
      ]),
    ],
  },
  {
    id: 'j_zh_welcome_journey',
    kind: 'journey',
    status: 'published',
    name: '新车主欢迎旅程',
    summary: '新车主第一个月的三封邮件：欢迎、App 使用指南和满意度回访。',
    category: 'onboarding',
    locale: 'zh-CN',
    tags: ['新车主', '欢迎', 'App'],
    tiers: [],
    regions: ['shanghai'],
    mergeFields: mergeFields('zh-CN'),
    approvalRule: NEVER,
    createdDaysAgo: 160,
    popularity: 6,
    audience: [2, 12],
    openRate: 0.45,
    clickRate: 0.2,
    steps: [
      step('welcome', '欢迎', 0, '欢迎加入极光车主大家庭', '您的新车、您的经销商、您的下一步', 'zh-CN', [
        greeting('zh-CN'),
        editable('intro', '欢迎语', '<p>感谢您选择{{ partner.name }}，欢迎成为极光车主！</p>', 'zh-CN', {
          required: true,
          maxLength: 300,
        }),
      ]),
      step('app', 'App 指南', 7, '极光 App 使用指南', '远程空调、充电规划、一键预约保养', 'zh-CN', [
        greeting('zh-CN', 'app_greeting'),
        lockedText(
          'app_features',
          'App 功能',
          '<ul><li>远程开启空调</li><li>规划充电路线</li><li>一键预约保养</li></ul>',
        ),
      ]),
      step('survey', '满意度回访', 30, '您对新车满意吗？', '占用您一分钟时间', 'zh-CN', [
        greeting('zh-CN', 'survey_greeting'),
        editable(
          'survey_body',
          '回访内容',
          '<p>提车已满一个月，如有任何需要调整的地方，请直接回复本邮件。</p>',
          'zh-CN',
          {
            maxLength: 300,
          },
        ),
      ]),
    ],
  },
  {
    id: 'j_hybrid_suv_preview',
    kind: 'template',
    status: 'published',
    name: 'Hybrid SUV preview evening',
    summary: 'Invite selected customers to an exclusive preview of the new Aurora Terra hybrid SUV.',
    category: 'event',
    locale: 'en',
    tags: ['preview', 'hybrid', 'terra', 'invitation'],
    tiers: [],
    regions: [],
    mergeFields: mergeFields('en', [{ key: 'event.date', label: 'Event date', fallback: 'soon' }]),
    approvalRule: over(30),
    createdDaysAgo: 3,
    popularity: 0,
    audience: [10, 40],
    openRate: 0.5,
    clickRate: 0.2,
    steps: [
      step(
        'main',
        'Preview invitation',
        0,
        'A private preview of the Aurora Terra',
        'Be among the first to see it',
        'en',
        [
          hero('hero', 'terra-preview.jpg', 'The Aurora Terra under a cover'),
          greeting('en'),
          editable(
            'details',
            'Invitation',
            '<p>On {{ event.date }}, {{ partner.name }} unveils the new Aurora Terra hybrid SUV. Join us for the evening.</p>',
            'en',
            { required: true, maxLength: 400 },
          ),
          button('rsvp', 'RSVP button', 'Reserve your place', '/terra'),
        ],
      ),
    ],
  },
  {
    id: 'j_draft_summer_sale',
    kind: 'template',
    status: 'draft',
    name: 'Summer sale (draft)',
    summary: 'Work in progress: summer sale announcement, not yet approved by legal.',
    category: 'promotion',
    locale: 'en',
    tags: ['seasonal', 'summer', 'sale'],
    tiers: [],
    regions: [],
    mergeFields: mergeFields('en'),
    approvalRule: ALWAYS_BRAND,
    createdDaysAgo: 5,
    popularity: 0,
    audience: [1, 1],
    openRate: 0,
    clickRate: 0,
    steps: [
      step('main', 'Summer sale', 0, 'Summer sale at {{ partner.name }}', 'Draft', 'en', [
        greeting('en'),
        editable('message', 'Message', '<p>Draft text pending legal review.</p>', 'en'),
      ]),
    ],
  },
  {
    id: 'j_draft_black_friday',
    kind: 'template',
    status: 'draft',
    name: 'Black Friday accessories (draft)',
    summary: 'Draft accessories offer; terms still being negotiated.',
    category: 'offer',
    locale: 'en',
    tags: ['accessories', 'black friday'],
    tiers: [],
    regions: [],
    mergeFields: mergeFields('en'),
    approvalRule: ALWAYS_BRAND,
    createdDaysAgo: 2,
    popularity: 0,
    audience: [1, 1],
    openRate: 0,
    clickRate: 0,
    steps: [
      step('main', 'Offer', 0, 'Black Friday at {{ partner.name }}', 'Draft', 'en', [
        greeting('en'),
        editable('message', 'Message', '<p>Draft.</p>', 'en'),
      ]),
    ],
  },
  {
    id: 'j_archived_winter_2025',
    kind: 'journey',
    status: 'archived',
    name: 'Winter event 2025 (archived)',
    summary: 'Last season’s winter event invitation; replaced by the showroom open day.',
    category: 'event',
    locale: 'en',
    tags: ['event', 'winter', '2025'],
    tiers: [],
    regions: [],
    mergeFields: mergeFields('en'),
    approvalRule: WARNINGS,
    createdDaysAgo: 420,
    popularity: 0,
    audience: [1, 1],
    openRate: 0,
    clickRate: 0,
    steps: [
      step('invite', 'Invitation', 0, 'Winter event 2025', 'Archived', 'en', [
        greeting('en'),
        editable('details', 'Details', '<p>Archived.</p>', 'en'),
      ]),
      step('reminder', 'Reminder', 3, 'Winter event reminder', 'Archived', 'en', [
        greeting('en', 'reminder_greeting'),
      ]),
    ],
  },
];

const CATEGORY_COLOURS: Record<Category, [string, string]> = {
  onboarding: ['#0b3d91', '#3a7bd5'],
  thank_you: ['#7a1f5c', '#d4588f'],
  follow_up: ['#0f5257', '#2fa39a'],
  reminder: ['#8a4b08', '#e69a2e'],
  offer: ['#5b1a8a', '#a05de0'],
  promotion: ['#8f1d1d', '#e0523a'],
  event: ['#1d5c2b', '#4fb35f'],
  newsletter: ['#2b2f3a', '#6b7689'],
};

/** A small self-contained SVG thumbnail (data URL) in the category's colours. */
export function thumbnailFor(j: Pick<DemoJourney, 'name' | 'category' | 'kind'>): string {
  const [from, to] = CATEGORY_COLOURS[j.category];
  const label = j.kind === 'journey' ? 'JOURNEY' : 'TEMPLATE';
  const title = j.name.replace(/[<>&"]/g, '').slice(0, 28);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180" viewBox="0 0 320 180">` +
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${from}"/>` +
    `<stop offset="1" stop-color="${to}"/></linearGradient></defs>` +
    `<rect width="320" height="180" fill="url(#g)"/>` +
    `<path d="M60 128h200l-14-26c-4-8-12-12-20-12h-96c-10 0-18 6-24 14z" fill="#fff" opacity=".18"/>` +
    `<circle cx="102" cy="130" r="13" fill="#fff" opacity=".3"/><circle cx="218" cy="130" r="13" fill="#fff" opacity=".3"/>` +
    `<text x="20" y="34" font-family="system-ui,sans-serif" font-size="12" letter-spacing="2" fill="#fff" opacity=".8">${label}</text>` +
    `<text x="20" y="64" font-family="system-ui,sans-serif" font-size="20" font-weight="600" fill="#fff">${title}</text>` +
    `</svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
