/**
 * Script-tag autoloader: `<script type="module" src=".../autoloader.js">` imports an element's code only
 * when its tag appears in the page (now or later, including inside open shadow roots of DM elements).
 */
import './cdn-setup.js';

const loaders: Record<string, () => Promise<unknown>> = {
  'dm-provider': () => import('./elements/provider/define.js'),
  'dm-journey-showroom': () => import('./elements/journey-showroom/define.js'),
  'dm-quick-send': () => import('./elements/quick-send/define.js'),
  'dm-approval-queue': () => import('./elements/approval-queue/define.js'),
  'dm-engagement-chart': () => import('./elements/engagement-chart/define.js'),
};

const requested = new Set<string>();

function load(tag: string): void {
  const loader = loaders[tag];
  if (!loader || requested.has(tag) || customElements.get(tag)) return;
  requested.add(tag);
  loader().catch((error: unknown) => {
    requested.delete(tag);
    console.error(`dm-kit: could not load <${tag}>`, error);
  });
}

/** Loads every DM element used under `root`. */
export function discover(root: ParentNode): void {
  if (root instanceof Element) load(root.localName);
  for (const el of root.querySelectorAll(':not(:defined)')) load(el.localName);
}

const marker = Symbol.for('dm-kit.autoloader');
const doc = document as Document & { [marker]?: true };
if (!doc[marker]) {
  doc[marker] = true;
  // The provider first: elements in the initial markup then find it when they upgrade.
  if (document.querySelector('dm-provider')) load('dm-provider');
  discover(document);
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) if (node instanceof Element) discover(node);
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
}
