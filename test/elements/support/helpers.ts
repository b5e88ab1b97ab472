import { waitUntil } from '@open-wc/testing';

export function shadow(el: Element): ShadowRoot {
  if (!el.shadowRoot) throw new Error(`<${el.localName}> has no shadow root`);
  return el.shadowRoot;
}

export function part<T extends Element = HTMLElement>(el: Element, name: string): T | null {
  return shadow(el).querySelector<T>(`[part~="${name}"]`);
}

export function parts<T extends Element = HTMLElement>(el: Element, name: string): T[] {
  return [...shadow(el).querySelectorAll<T>(`[part~="${name}"]`)];
}

/** Text content with whitespace collapsed. */
export function text(node: Element | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

export async function waitForState(
  el: HTMLElement & { updateComplete: Promise<boolean> },
  state: string,
): Promise<void> {
  await waitUntil(() => el.matches(`:state(${state})`), `<${el.localName}> never reached :state(${state})`, {
    timeout: 4000,
  });
  await el.updateComplete;
}
