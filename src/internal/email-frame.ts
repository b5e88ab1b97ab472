/**
 * `emailFrame(html, frameUrl)`: shows a rendered email in the `<iframe>` it is placed on.
 *
 * - Without `frameUrl`, as `<iframe sandbox srcdoc>` (Trusted Types aware). The frame runs no script
 *   and has an opaque origin, but inherits the host page's Content-Security-Policy.
 * - With `frameUrl` (the API server's `/preview-frame`, see `DmClient.previewFrameUrl`), the iframe
 *   loads that page with `sandbox="allow-scripts"` and the HTML is posted to it after each load and on
 *   every change; the page shows it under its own policy in a nested script-less sandboxed frame.
 */
import { nothing } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';
import { sandboxedSrcdoc } from './trusted-html.js';

interface Hosted {
  html: string;
  loaded: boolean;
}

const hosted = new WeakMap<HTMLIFrameElement, Hosted>();

function post(frame: HTMLIFrameElement, html: string): void {
  // The page has an opaque origin (sandboxed), so no target origin can name it. The frame's own
  // (localized) title names the page's inner frame too, for screen readers.
  frame.contentWindow?.postMessage({ type: 'dm-preview', html, title: frame.title }, '*');
}

class EmailFrame extends Directive {
  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('emailFrame() belongs on an <iframe> element');
  }

  render(_html: string, _frameUrl?: string) {
    return nothing;
  }

  override update(part: ElementPart, [html, frameUrl]: [string, string | undefined]) {
    const frame = part.element as HTMLIFrameElement;
    if (!frameUrl) {
      if (hosted.has(frame)) {
        hosted.delete(frame);
        frame.removeAttribute('src');
      }
      frame.setAttribute('sandbox', '');
      frame.srcdoc = sandboxedSrcdoc(html);
      return nothing;
    }
    let state = hosted.get(frame);
    if (!state) {
      const created: Hosted = { html, loaded: false };
      hosted.set(frame, (state = created));
      frame.addEventListener('load', () => {
        if (hosted.get(frame) !== created) return;
        created.loaded = true;
        post(frame, created.html);
      });
    }
    state.html = html;
    if (frame.getAttribute('src') !== frameUrl) {
      state.loaded = false;
      frame.removeAttribute('srcdoc');
      frame.setAttribute('sandbox', 'allow-scripts');
      frame.setAttribute('src', frameUrl);
    } else if (state.loaded) {
      post(frame, html);
    }
    return nothing;
  }
}

export const emailFrame = directive(EmailFrame);
