/**
 * Helpers for story play functions (they run as tests): waiting for a condition or a part, and the layout
 * check that an element laid out right to left keeps every visible part inside its own box.
 */

/** Resolves with `check()`'s value once it is truthy (polls every 25 ms, up to `timeout` ms). */
export async function until<T>(
  check: () => T | null | undefined | false,
  what = 'a condition',
  timeout = 10_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - start > timeout) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits for `tag` in the story's canvas and for a `part` in its shadow root; resolves with the element. */
export async function untilPart(canvas: HTMLElement, tag: string, part: string): Promise<HTMLElement> {
  const el = await until(() => canvas.querySelector<HTMLElement>(tag), tag);
  await until(() => el.shadowRoot?.querySelector(`[part~="${part}"]`), `${tag} ${part}`);
  return el;
}

/** A play function that passes once `tag` shows a `part` (an empty state, a card, a status badge). */
export const showsPart =
  (tag: string, part: string) =>
  async ({ canvasElement }: { canvasElement: HTMLElement }): Promise<void> => {
    await untilPart(canvasElement, tag, part);
  };

/** Whether an ancestor (within the shadow tree) scrolls or clips horizontally: overflow there is by design. */
function inScroller(el: HTMLElement): boolean {
  for (let a = el.parentElement; a; a = a.parentElement) {
    if (getComputedStyle(a).overflowX !== 'visible') return true;
  }
  return false;
}

/**
 * Waits for `readyPart` in `tag`'s shadow root, then fails if the element runs left-to-right or if a
 * visible part (outside any scrolling container) sticks out of the element's box (the usual right-to-left breakage: physical margins,
 * positions or transforms pushing content past the inline start).
 */
export async function assertRightToLeftFits(
  canvas: HTMLElement,
  tag: string,
  readyPart: string,
): Promise<void> {
  const el = await untilPart(canvas, tag, readyPart);
  await new Promise((r) => requestAnimationFrame(r));
  const direction = getComputedStyle(el.shadowRoot!.querySelector(`[part~="${readyPart}"]`)!).direction;
  if (direction !== 'rtl') throw new Error(`${tag} lays out ${direction}, expected rtl`);
  const box = el.getBoundingClientRect();
  const outside = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part]')]
    .filter((p) => p.getClientRects().length > 0 && getComputedStyle(p).visibility !== 'hidden')
    .filter((p) => !inScroller(p))
    .filter((p) => {
      const r = p.getBoundingClientRect();
      return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1);
    })
    .map((p) => `${p.getAttribute('part')} (${Math.round(p.getBoundingClientRect().left - box.left)}px)`);
  if (outside.length) throw new Error(`${tag}: parts outside the element in rtl: ${outside.join(', ')}`);
}
