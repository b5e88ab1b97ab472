import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface RovingTabindexOptions {
  /** The items, in order; called after every update. */
  items: () => HTMLElement[];
  /** Which arrow keys move: `vertical` (Up/Down), `horizontal` (Left/Right) or `both` (default). */
  direction?: 'vertical' | 'horizontal' | 'both';
}

/**
 * Roving tabindex for a list or grid of items (Spectrum `RovingTabindex`): exactly one item has
 * `tabindex="0"`, the rest `-1`; arrow keys move focus (Left/Right respect `dir="rtl"`), Home/End go to
 * the ends. Bind `onKeydown` and `onFocusin` on the container.
 */
export class RovingTabindexController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: RovingTabindexOptions;
  #active = 0;

  constructor(host: ReactiveControllerHost & HTMLElement, options: RovingTabindexOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** Index of the item that is (or will be) in the tab order. */
  get activeIndex(): number {
    return this.#active;
  }

  hostUpdated(): void {
    this.#apply(this.#options.items());
  }

  /** Makes `index` the tab stop and focuses it. */
  focus(index: number): void {
    const items = this.#options.items();
    if (items.length === 0) return;
    this.#active = Math.max(0, Math.min(items.length - 1, index));
    this.#apply(items);
    items[this.#active]?.focus();
  }

  /** Resets the tab stop to the first item (e.g. after new results). */
  reset(): void {
    this.#active = 0;
    this.#apply(this.#options.items());
  }

  readonly onFocusin = (event: FocusEvent): void => {
    const items = this.#options.items();
    const index = items.findIndex((item) => item === event.target);
    if (index >= 0 && index !== this.#active) {
      this.#active = index;
      this.#apply(items);
    }
  };

  readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const items = this.#options.items();
    const index = items.findIndex((item) => item === event.target);
    if (index < 0) return; // Keys inside an item (e.g. on its button) are left alone.
    const direction = this.#options.direction ?? 'both';
    const rtl = getComputedStyle(this.#host).direction === 'rtl';
    const vertical = direction !== 'horizontal';
    const horizontal = direction !== 'vertical';
    let next: number | undefined;
    switch (event.key) {
      case 'ArrowDown':
        if (vertical) next = index + 1;
        break;
      case 'ArrowUp':
        if (vertical) next = index - 1;
        break;
      case 'ArrowRight':
        if (horizontal) next = rtl ? index - 1 : index + 1;
        break;
      case 'ArrowLeft':
        if (horizontal) next = rtl ? index + 1 : index - 1;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = items.length - 1;
        break;
    }
    if (next === undefined) return;
    event.preventDefault();
    this.focus(next);
  };

  #apply(items: HTMLElement[]): void {
    if (items.length === 0) return;
    if (this.#active >= items.length) this.#active = items.length - 1;
    items.forEach((item, i) => {
      const value = i === this.#active ? '0' : '-1';
      if (item.getAttribute('tabindex') !== value) item.setAttribute('tabindex', value);
    });
  }
}
