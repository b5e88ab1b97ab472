/**
 * `GET /preview-frame`: the page elements load email previews into when the host page's own
 * Content-Security-Policy would govern an `<iframe srcdoc>` (a srcdoc frame inherits its parent's
 * policy, so a strict host blocks the email's inline styles and images). This page has its own policy:
 * no script but its own (by hash), inline styles and https/data images for the email, nothing else.
 *
 * The element frames it with `sandbox="allow-scripts"` (an opaque origin: no cookies, no storage, no
 * access to the API or the host) and posts the rendered HTML; the page shows it in a nested
 * `<iframe sandbox srcdoc>` that inherits this policy and runs no script at all. The page holds no
 * data of its own, so it needs no login and may be framed by any host.
 */
import type { App } from '../env.js';

/**
 * The viewer: announces itself to the parent, then shows every `{ type: 'dm-preview', html, title }` it
 * gets; `title` (the element's localized frame title) also names the page and its inner frame.
 */
const SCRIPT = `(() => {
  const frame = document.getElementById('email');
  addEventListener('message', (event) => {
    const data = event.data;
    if (event.source !== parent || !data || data.type !== 'dm-preview' || typeof data.html !== 'string') return;
    if (typeof data.title === 'string' && data.title) document.title = frame.title = data.title;
    frame.srcdoc = data.html;
  });
  parent.postMessage({ type: 'dm-preview-ready' }, '*');
})();`;

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<title>Email preview</title>
<style>html,body{margin:0;height:100%;overflow:hidden;background:#fff}iframe{display:block;border:0;width:100%;height:100%}</style>
</head>
<body>
<iframe id="email" sandbox="" referrerpolicy="no-referrer" title="Email"></iframe>
<script>${SCRIPT}</script>
</body>
</html>
`;

let policy: Promise<string> | undefined;

/** The page's Content-Security-Policy, with the SHA-256 of its one script. */
function contentSecurityPolicy(): Promise<string> {
  policy ??= crypto.subtle.digest('SHA-256', new TextEncoder().encode(SCRIPT)).then((digest) => {
    const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
    return [
      "default-src 'none'",
      `script-src 'sha256-${hash}'`,
      "style-src 'unsafe-inline'",
      'img-src https: data:',
      'font-src https: data:',
      "base-uri 'none'",
      "form-action 'none'",
      'frame-ancestors *',
    ].join('; ');
  });
  return policy;
}

/** The preview frame page as a `Response` (also served by hosts that proxy the API). */
export async function previewFrameResponse(): Promise<Response> {
  return new Response(HTML, {
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': await contentSecurityPolicy(),
      'Cache-Control': 'public, max-age=3600',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    },
  });
}

export function registerPreviewFrame(app: App) {
  app.get('/preview-frame', () => previewFrameResponse());
}
