import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compileTemplate, renderLiquid, renderTemplate } from '../../../server/domain/render.js';
import { hmacKey, hmacSha256 } from '../../../server/domain/hmac.js';
import { htmlToText, renderPartnerContent, sanitizeBrandHtml } from '../../../server/domain/sanitize.js';
import { base64url, signToken, verifyToken } from '../../../server/domain/tracking.js';

describe('HMAC-SHA256', () => {
  it('matches Web Crypto for short, block-sized and long keys and messages', async () => {
    const enc = new TextEncoder();
    for (const [secret, message] of [
      ['k', ''],
      ['s'.repeat(32), 'dm-track-v1|c|ob_1|3'],
      ['x'.repeat(64), 'a'.repeat(55)],
      ['y'.repeat(100), 'b'.repeat(56)],
      ['w', 'c'.repeat(64)],
      ['v', 'd'.repeat(119)],
      ['u', 'e'.repeat(120)],
      ['zh-密钥', '消息'.repeat(70)],
    ] as const) {
      const key = await crypto.subtle.importKey(
        'raw',
        enc.encode(secret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign'],
      );
      const expected = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(message)));
      assert.deepEqual(
        hmacSha256(hmacKey(enc.encode(secret)), enc.encode(message)),
        expected,
        `${secret}/${message.length}`,
      );
    }
  });
});

describe('tracking tokens', () => {
  const secret = 'unit-secret-0123456789-0123456789';
  it('base64url matches Node for every length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        assert.equal(base64url(bytes), Buffer.from(bytes).toString('base64url'));
      }),
    );
  });
  it('verify only for the same purpose, row, index and secret', () => {
    const click = signToken(secret, 'click', 'ob_1', 2);
    assert.deepEqual(verifyToken(secret, 'click', click), { rowId: 'ob_1', index: 2 });
    assert.equal(verifyToken(secret, 'open', click), null);
    assert.equal(verifyToken('another-secret-0123456789-01234567', 'click', click), null);
    assert.equal(verifyToken(secret, 'click', click.replace('.2.', '.3.')), null);
    const open = signToken(secret, 'open', 'ob_1');
    assert.equal(verifyToken(secret, 'unsubscribe', open), null);
    assert.deepEqual(verifyToken(secret, 'open', open), { rowId: 'ob_1', index: 0 });
    assert.equal(verifyToken(secret, 'open', 'ob_1.'), null);
    assert.equal(verifyToken(secret, 'click', '../x.0.abc'), null);
  });
});

describe('sanitizeBrandHtml', () => {
  it('keeps allowed markup and Liquid, drops scripts, handlers, frames and unsafe URLs', () => {
    const out = sanitizeBrandHtml(
      '<p class="x" onclick="evil()">Hi {{ contact.first_name | default: "there" }}</p>' +
        '<script>alert(1)</script><style>p{}</style><iframe src="https://x"></iframe>' +
        '<a href="javascript:alert(1)">a</a><a href=" JaVa&#x53;cript:alert(1)">b</a>' +
        '<a href="https://ok.example/?a=1&b=2" target="_top">c</a><img src="data:image/png;base64,xx" alt="d">' +
        '<div style="background:url(https://t.example/x)">e</div>{% if a > b %}<b>f</b>{% endif %}<svg><g onload=x></g></svg>',
    );
    assert.equal(
      out,
      '<p class="x">Hi {{ contact.first_name | default: "there" }}</p>' +
        '<a>a</a><a>b</a><a href="https://ok.example/?a=1&amp;b=2">c</a><img alt="d"><div>e</div>{% if a > b %}<b>f</b>{% endif %}',
    );
  });
});

describe('partner content', () => {
  it('plain: escaped text with line breaks; basic: our tags only', () => {
    assert.equal(
      renderPartnerContent('a <b>\nc\n\nd', { format: 'plain' }).html,
      '<p>a &lt;b&gt;<br>c</p><p>d</p>',
    );
    const basic = renderPartnerContent('- **one**\n- _two_ [x](https://a.example/?q=1&r=2)', {
      format: 'basic',
    });
    assert.equal(
      basic.html,
      '<ul><li><strong>one</strong></li><li><em>two</em> <a href="https://a.example/?q=1&amp;r=2">x</a></li></ul>',
    );
    assert.deepEqual(basic.links, ['https://a.example/?q=1&r=2']);
    assert.equal(
      renderPartnerContent('{{ contact.first_name }} {{ evil }}', { format: 'plain' }).html,
      '<p>{{ contact.first_name }} &#123;&#123; evil &#125;&#125;</p>',
    );
  });

  it('htmlToText collapses spaces, keeps at most one blank line and marks lists, rules and cells', () => {
    assert.equal(
      htmlToText(
        '<p>a \t&nbsp; b</p>\n\n\n<div>c<br>d<br/>e</div><hr><table><tr><td>x</td><td>y</td></tr></table>',
      ),
      'a b\n\nc\nd\ne\n\n----\nx y',
    );
  });

  it('htmlToText keeps link targets and drops image links', () => {
    assert.equal(
      htmlToText(
        '<p>Hi &amp; <a href="https://x.example/">there</a></p><a href="https://y"><img src="https://i"></a><ul><li>a</li></ul>',
      ),
      'Hi & there (https://x.example/)\n\n- a',
    );
  });
});

describe('message templates', () => {
  // Plain `{{ a.b }}` templates skip LiquidJS; the output must be exactly LiquidJS's.
  const value = fc.oneof(
    fc.string(),
    fc.constantFrom('<script>alert(1)</script>', `"'&<>`, '{{ contact.email }}', '{% if x %}', '张伟', ''),
  );
  const scope = fc.record({
    contact: fc.record({ first_name: value, email: value }),
    partner: fc.record({ name: value }),
    subject: value,
  });
  const source = fc
    .array(
      fc.oneof(
        fc.constantFrom(
          '{{ contact.first_name }}',
          '{{contact.email}}',
          '{{ partner.name }}',
          '{{ subject }}',
          '{{ contact.missing }}',
          '{{ nothing.at.all }}',
        ),
        fc.string().filter((s) => !/[{}%]/.test(s)),
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.join(''));

  it('the plain path renders what LiquidJS renders, escaped and not', () => {
    fc.assert(
      fc.property(source, scope, fc.boolean(), (text, data, escape) => {
        const template = compileTemplate(text, escape);
        assert.ok(template.plain, 'a template of plain outputs takes the plain path');
        assert.equal(renderTemplate(template, data), renderLiquid(template, data));
      }),
    );
  });

  it('tags, filters and values that are not strings go through LiquidJS', () => {
    for (const text of [
      '{% if contact.first_name %}x{% endif %}',
      '{{ contact.first_name | upcase }}',
      '{{- a }}',
    ])
      assert.equal(compileTemplate(text, true).plain, null, text);
    const data = { contact: { first_name: 'Ada', visits: 3, tags: ['a', 'b'] } };
    for (const text of [
      '{{ contact.first_name.size }}',
      '{{ contact }}',
      '{{ contact.visits }}',
      '{{ contact.tags }}',
    ]) {
      const template = compileTemplate(text, true);
      assert.equal(renderTemplate(template, data), renderLiquid(template, data), text);
    }
    assert.equal(renderTemplate(compileTemplate('{{ contact.first_name.size }}', true), data), '3');
  });
});
