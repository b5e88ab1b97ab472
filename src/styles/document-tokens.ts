import { documentTokenCss } from './tokens.js';

const installed = Symbol.for('dm-kit.document-tokens');

type MarkedDocument = Document & { [installed]?: true };

/**
 * Adds the light-theme defaults to `doc` once (idempotent across duplicate bundles, since the marker is
 * a registered symbol). Called when the first DM element connects — never at import time.
 */
export function installDocumentTokens(doc: Document = document): void {
  const marked = doc as MarkedDocument;
  if (marked[installed]) return;
  marked[installed] = true;
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(documentTokenCss);
    doc.adoptedStyleSheets = [sheet, ...doc.adoptedStyleSheets];
  } catch {
    const style = doc.createElement('style');
    style.dataset.dmKit = 'tokens';
    style.textContent = documentTokenCss;
    doc.head.prepend(style);
  }
}
