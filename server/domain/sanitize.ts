/**
 * HTML safety for email content, written as small allow-lists (no DOM, no Node APIs, so it also runs
 * in a browser):
 * - `sanitizeBrandHtml` cleans brand block templates (HTML with Liquid) when a journey is stored and
 *   again when a step is compiled for rendering;
 * - `renderPartnerContent` turns partner input (`plain` or `basic` format) into HTML that can never
 *   carry markup the partner wrote: text is escaped and only our own tags are emitted;
 * - `htmlToText` derives the text part from rendered HTML.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML text and attribute values. */
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  euro: '€',
};

/** Decodes the entities HTML email commonly uses (numeric and a few named ones). */
export function decodeEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z][a-z0-9]{1,31});/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)
        ? String.fromCodePoint(code)
        : '';
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

/** Escapes `<`, `>` and bare `&` in text, keeping well-formed entities. */
const escapeText = (value: string): string =>
  value
    .replace(/&(?!(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#\d{1,7}|#x[0-9a-fA-F]{1,6});)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');

// ---------------------------------------------------------------------------------------------------
// Brand HTML

const ALLOWED_TAGS = new Set(
  (
    'a abbr b blockquote br caption center code col colgroup dd div dl dt em font h1 h2 h3 h4 h5 h6 hr i img ' +
    'li ol p pre s small span strong sub sup table tbody td tfoot th thead tr u ul section header footer article'
  ).split(' '),
);
const VOID_TAGS = new Set(['br', 'hr', 'img', 'col']);
/** Dropped together with everything inside them. */
const DROP_WITH_CONTENT = new Set(
  'script style iframe object embed noscript template svg math textarea select title head frameset noembed xmp'.split(
    ' ',
  ),
);
const GLOBAL_ATTRS = new Set(
  (
    'align valign width height bgcolor color style class dir lang title role border cellpadding cellspacing ' +
    'colspan rowspan face size'
  ).split(' '),
);
const TAG_ATTRS: Record<string, Set<string>> = {
  a: new Set(['href', 'target', 'rel']),
  img: new Set(['src', 'alt']),
};

/** Liquid tags and outputs are set aside while HTML is cleaned, so `{% if a > b %}` stays intact. */
const LIQUID = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;
const HOLE = /\uE000(\d+)\uE001/g;

const SAFE_HREF = /^(?:https?:|mailto:|tel:|#)/i;
const SAFE_SRC = /^(?:https?:)/i;
const UNSAFE_STYLE = /expression|javascript:|vbscript:|url\s*\(|@import|behavior|-moz-binding|[<>\\]/i;

/** The scheme-relevant start of a URL: entities decoded, controls and whitespace removed. */
const urlHead = (value: string) =>
  decodeEntities(value)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0020\u007f-\u00a0]+/g, '')
    .slice(0, 16);

function cleanAttr(tag: string, name: string, raw: string, holes: string[]): string | null {
  const allowed = GLOBAL_ATTRS.has(name) || TAG_ATTRS[tag]?.has(name);
  if (!allowed) return null;
  const value = raw.replace(HOLE, (_m, i: string) => holes[Number(i)] ?? '');
  const head = urlHead(raw);
  if (name === 'href') {
    // A Liquid-built URL is checked again on the rendered output (see `rewriteLinks` in render.ts).
    if (!SAFE_HREF.test(head) && !head.startsWith('\uE000')) return null;
  } else if (name === 'src') {
    if (!SAFE_SRC.test(head) && !head.startsWith('\uE000')) return null;
  } else if (name === 'style') {
    if (UNSAFE_STYLE.test(decodeEntities(value))) return null;
  } else if (name === 'target') {
    if (value !== '_blank') return null;
  }
  // Keep Liquid as written (its quotes must survive); escape everything around it.
  return raw
    .split(HOLE)
    .map((part, i) => (i % 2 === 1 ? (holes[Number(part)] ?? '') : escapeHtml(decodeEntities(part))))
    .join('');
}

const TOKEN =
  /<!--[\s\S]*?(?:-->|$)|<![^>]*>?|<\?[^>]*>?|<\/([a-zA-Z][a-zA-Z0-9]*)[^>]*>|<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/?>|<|[^<]+/g;
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

/**
 * Cleans brand HTML (a Liquid template) to an allow-list of tags and attributes: no scripts, styles
 * blocks, frames, forms or event handlers; links only `https:`, `http:`, `mailto:`, `tel:` or `#`;
 * images only `http(s):`; inline styles without `url()`/`expression()`. Liquid is preserved. Output is
 * canonical (double-quoted, escaped attribute values), which the renderer's link pass relies on.
 */
export function sanitizeBrandHtml(html: string): string {
  const holes: string[] = [];
  const source = html.replace(LIQUID, (m) => `\uE000${holes.push(m) - 1}\uE001`);
  const out: string[] = [];
  const open: string[] = [];
  let dropping: string | null = null;
  let depth = 0;
  for (const match of source.matchAll(TOKEN)) {
    const [token, endName, startName, attrs] = match;
    if (dropping) {
      const name = (startName ?? endName)?.toLowerCase();
      if (name === dropping) depth += startName ? (/\/>$/.test(token) ? 0 : 1) : -1;
      if (depth === 0) dropping = null;
      continue;
    }
    if (startName) {
      const tag = startName.toLowerCase();
      if (DROP_WITH_CONTENT.has(tag)) {
        if (!/\/>$/.test(token)) {
          dropping = tag;
          depth = 1;
        }
        continue;
      }
      if (!ALLOWED_TAGS.has(tag)) continue;
      let emitted = `<${tag}`;
      for (const a of (attrs ?? '').matchAll(ATTR)) {
        const name = a[1]!.toLowerCase();
        const value = cleanAttr(tag, name, a[2] ?? a[3] ?? a[4] ?? '', holes);
        if (value !== null) emitted += ` ${name}="${value}"`;
      }
      out.push(emitted + '>');
      if (!VOID_TAGS.has(tag)) open.push(tag);
    } else if (endName) {
      const tag = endName.toLowerCase();
      const at = open.lastIndexOf(tag);
      if (at < 0) continue;
      while (open.length > at) out.push(`</${open.pop()}>`);
    } else if (token[0] === '<') {
      // Comments, doctypes, processing instructions go; a stray `<` becomes text.
      if (token === '<') out.push('&lt;');
    } else {
      out.push(escapeText(token));
    }
  }
  while (open.length) out.push(`</${open.pop()}>`);
  return out.join('').replace(HOLE, (_m, i: string) => holes[Number(i)] ?? '');
}

// ---------------------------------------------------------------------------------------------------
// Partner content

/** Merge tags a partner may write in their own text, e.g. `{{ contact.first_name }}`. */
export const PARTNER_MERGE_TAG = /\{\{\s*((?:contact|partner|sender|brand)\.[a-z_]{1,40})\s*\}\}/g;

export interface PartnerContent {
  html: string;
  /** Link targets the partner wrote (basic format), in order. */
  links: string[];
  /** Image sources the partner wrote (basic format, image blocks). */
  images: string[];
}

/**
 * Escaped text in which only whitelisted merge tags survive as Liquid outputs; every other brace is an
 * entity, so partner text can never become a Liquid tag.
 */
function escapePartnerText(value: string): string {
  const parts = value.split(PARTNER_MERGE_TAG);
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    out += i % 2 === 1 ? `{{ ${part} }}` : escapeHtml(part).replace(/\{/g, '&#123;').replace(/\}/g, '&#125;');
  }
  return out;
}

/** An attribute value from partner input: escaped, and braces as entities so Liquid never sees them. */
const partnerAttr = (value: string) => escapeHtml(value).replace(/\{/g, '&#123;').replace(/\}/g, '&#125;');

const inlineMarkup = (
  escaped: string,
  links: string[],
  images: string[],
  linkOk: (u: string) => boolean,
  imageOk: (u: string) => boolean,
) =>
  escaped
    // Images ![alt](url): only when the rules allow the source; otherwise the alt text.
    .replace(/!\[([^\]\n]{0,200})\]\(([^)\s]{1,2000})\)/g, (_m, alt: string, url: string) => {
      const target = decodeEntities(url);
      images.push(target);
      return imageOk(target) ? `<img src="${partnerAttr(target)}" alt="${alt}" style="max-width:100%">` : alt;
    })
    // Links [text](url): only allowed schemes; otherwise the text alone.
    .replace(/\[([^\]\n]{1,500})\]\(([^)\s]{1,2000})\)/g, (_m, text: string, url: string) => {
      const target = decodeEntities(url);
      links.push(target);
      return linkOk(target) ? `<a href="${partnerAttr(target)}">${text}</a>` : text;
    })
    .replace(/\*\*(?=\S)([^*\n]{0,2000}?\S)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]{0,2000}?\S)\*(?!\w)/g, '$1<em>$2</em>')
    .replace(/(^|[^\w])_(?=\S)([^_\n]{0,2000}?\S)_(?!\w)/g, '$1<em>$2</em>');

export interface PartnerFormatOptions {
  format: 'plain' | 'basic';
  /** Block kind `image`: the content is an image URL. */
  image?: boolean;
  /** Link scheme check (defaults to https and mailto). */
  linkAllowed?: (url: string) => boolean;
  /** Image source check (defaults to none allowed). */
  imageAllowed?: (url: string) => boolean;
  alt?: string;
}

const defaultLinkAllowed = (url: string) => /^(?:https:\/\/|mailto:)/i.test(url.trim());

/**
 * Partner input to safe HTML. `plain`: escaped text, blank lines → paragraphs, newlines → `<br>`.
 * `basic`: the same plus `**bold**`, `*italic*`/`_italic_`, `[text](url)`, `![alt](url)`, and lists
 * (`- item`, `1. item`). Any HTML the partner types is shown as text.
 */
export function renderPartnerContent(value: string, options: PartnerFormatOptions): PartnerContent {
  const links: string[] = [];
  const images: string[] = [];
  const linkOk = options.linkAllowed ?? defaultLinkAllowed;
  const imageOk = options.imageAllowed ?? (() => false);
  const text = value.replace(/\r\n?/g, '\n').trim();
  if (options.image) {
    if (!text) return { html: '', links, images };
    images.push(text);
    const alt = partnerAttr(options.alt ?? '');
    return {
      html: imageOk(text) ? `<img src="${partnerAttr(text)}" alt="${alt}" style="max-width:100%">` : '',
      links,
      images,
    };
  }
  const paragraphs = text.split(/\n[ \t]*\n+/).filter((p) => p.trim() !== '');
  const html = paragraphs
    .map((para) => {
      const lines = para.split('\n');
      if (options.format === 'basic') {
        const bullet = lines.every((l) => /^\s*[-*•]\s+/.test(l));
        const numbered = lines.every((l) => /^\s*\d{1,3}[.)]\s+/.test(l));
        if (bullet || numbered) {
          const items = lines
            .map((l) => l.replace(bullet ? /^\s*[-*•]\s+/ : /^\s*\d{1,3}[.)]\s+/, ''))
            .map((l) => `<li>${inlineMarkup(escapePartnerText(l), links, images, linkOk, imageOk)}</li>`)
            .join('');
          return bullet ? `<ul>${items}</ul>` : `<ol>${items}</ol>`;
        }
      }
      const body = lines
        .map((l) => {
          const escaped = escapePartnerText(l);
          return options.format === 'basic' ? inlineMarkup(escaped, links, images, linkOk, imageOk) : escaped;
        })
        .join('<br>');
      return `<p>${body}</p>`;
    })
    .join('');
  return { html, links, images };
}

// ---------------------------------------------------------------------------------------------------
// Text part

/**
 * The text/plain alternative of rendered email HTML: block elements become line breaks, links
 * `text (url)`, list items `- `; tags removed, entities decoded. Expects our canonical HTML.
 */
export function htmlToText(html: string): string {
  const body = html
    .replace(/<head[\s\S]*?<\/head>/i, '')
    .replace(/<div class="dm-preheader"[\s\S]*?<\/div>/, '');
  // One pass over the tags: links become "label (url)", block ends paragraph breaks, the rest goes.
  const text = body.replace(
    /<a\b[^>]*?\shref="([^"]*)"[^>]*>([\s\S]*?)<\/a>|<(\/?)([a-zA-Z][a-zA-Z0-9]*)?[^>]*>/gi,
    (_m, href: string | undefined, inner: string, close: string, name: string | undefined) => {
      if (href !== undefined) return textOfLink(href, inner);
      return name ? textOfTag(close === '/', name.toLowerCase()) : '';
    },
  );
  // One pass over the whitespace: runs of spaces become one, line breaks at most a blank line.
  return decodeEntities(text)
    .replace(/[ \t\u00a0]*(?:\n[ \t\u00a0]*)+|[ \t\u00a0]+/g, (run) => {
      const first = run.indexOf('\n');
      return first < 0 ? ' ' : run.indexOf('\n', first + 1) < 0 ? '\n' : '\n\n';
    })
    .trim();
}

function textOfLink(url: string, inner: string): string {
  const label = inner.replace(/<[^>]*>/g, '').trim();
  if (!label) return ''; // an image link: nothing to read in text
  if (decodeEntities(label) === decodeEntities(url).replace(/^mailto:/, '')) return url;
  return url.startsWith('mailto:') || url.startsWith('tel:') ? label : `${label} (${url})`;
}

const BLOCK_ENDS = new Set(
  'p div h1 h2 h3 h4 h5 h6 tr table ul ol blockquote section header footer article'.split(' '),
);

function textOfTag(close: boolean, name: string): string {
  if (close) return BLOCK_ENDS.has(name) ? '\n\n' : name === 'td' || name === 'th' ? ' ' : '';
  return name === 'br' ? '\n' : name === 'li' ? '\n- ' : name === 'hr' ? '\n----\n' : '';
}
