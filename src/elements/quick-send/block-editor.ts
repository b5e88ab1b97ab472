/**
 * Rendering of the Personalize step's blocks for `<dm-quick-send>`: locked blocks read-only in place,
 * editable blocks as a textarea with the brand's rules, live findings, a character counter, the merge
 * field menu and "reset". Pure templates: state and handlers come from the element.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { classMap } from 'lit/directives/class-map.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import type { Block, MergeField } from '../../contract/journeys.js';
import type { MessageParams, TranslationKey } from '../../translations/index.js';
import { characterCount, lockedText, rulesOf, type RuleFinding } from './rules.js';

export type Translate = (key: TranslationKey, params?: MessageParams) => string;

/** A rule finding in words. */
export function findingText(t: Translate, finding: RuleFinding): string {
  switch (finding.code) {
    case 'required':
      return t('quickSend.finding.required');
    case 'max_length':
      return t('quickSend.finding.max_length', { count: finding.over, max: finding.max });
    case 'restricted_word':
      return t('quickSend.finding.restricted_word', { word: finding.word });
    case 'restricted_pattern':
      return t('quickSend.finding.restricted_pattern', { match: finding.match });
    case 'link_scheme':
      return t('quickSend.finding.link_scheme', { scheme: finding.scheme, allowed: finding.allowed });
    case 'invalid_link':
      return t('quickSend.finding.invalid_link', { link: finding.link });
    case 'image_domain':
      return t('quickSend.finding.image_domain', { domains: finding.domains });
    case 'image_not_allowed':
      return t('quickSend.finding.image_not_allowed');
  }
}

const MERGE_TAG = /\{\{\s*([\w.]+)\s*\}\}/;

/** Brand text with line breaks, its merge tags shown as labelled tokens ("First name"). */
function withTokens(text: string, mergeFields: readonly MergeField[]) {
  return text.split('\n').map((line, i) => {
    const parts = line.split(MERGE_TAG);
    return html`${i > 0 ? html`<br />` : nothing}${parts.map((part, j) =>
      j % 2 === 1
        ? html`<span class="token">${mergeFields.find((f) => f.key === part)?.label ?? part}</span>`
        : part,
    )}`;
  });
}

/** A locked block: its label, "Locked by brand", and its text (or image description) read-only. */
export function renderLockedBlock(t: Translate, block: Block, mergeFields: readonly MergeField[]) {
  const text = lockedText(block);
  return html`<div class="block block--locked" part="block" data-block=${block.id}>
    <div class="block__head">
      <span class="block__label">${block.label}</span>
      <span part="locked-badge" class="badge badge--locked">${t('quickSend.locked')}</span>
    </div>
    ${
      text
        ? html`<p class="block__locked-text">
            ${block.kind === 'image' ? t('quickSend.lockedImage', { alt: text }) : withTokens(text, mergeFields)}
          </p>`
        : nothing
    }
  </div>`;
}

/** Everything an editable block shows. */
export interface EditableBlockView {
  readonly block: Block;
  /** The text in the editor. */
  readonly value: string;
  readonly findings: readonly RuleFinding[];
  /** Messages from the server's last rejection of this field. */
  readonly serverErrors: readonly string[];
  /** Name of the recipient whose own text this is (an override), if any. */
  readonly overriddenFor?: string;
  /** Editing for one recipient (the editor shows their text; `target-note` explains). */
  readonly forOne: boolean;
  /** The text differs from what "reset" would restore. */
  readonly edited: boolean;
  readonly mergeFields: readonly MergeField[];
  readonly menuOpen: boolean;
}

export interface EditableBlockHandlers {
  readonly input: (value: string) => void;
  readonly reset: () => void;
  readonly toggleMenu: () => void;
  readonly insert: (key: string) => void;
  readonly menuKeydown: (event: KeyboardEvent) => void;
  readonly menuFocusout: (event: FocusEvent) => void;
}

export function renderEditableBlock(
  t: Translate,
  view: EditableBlockView,
  on: EditableBlockHandlers,
): TemplateResult {
  const { block, value, findings, serverErrors } = view;
  const rules = rulesOf(block);
  const invalid = findings.length > 0 || serverErrors.length > 0;
  const id = `block-${block.id}`;
  const length = characterCount(value);
  const image = block.kind === 'image';
  const counter =
    rules.maxLength === undefined
      ? image
        ? ''
        : t('quickSend.charsUsed', { count: length })
      : length > rules.maxLength
        ? t('quickSend.charsOver', { count: length - rules.maxLength })
        : t('quickSend.charsLeft', { count: rules.maxLength - length });
  const hint = image
    ? t('quickSend.formatImage', { domains: rules.allowedImageDomains.join(', ') || '—' })
    : rules.format === 'basic'
      ? `${t('quickSend.formatBasic')} ${t('quickSend.linkSchemes', { schemes: rules.allowedLinkSchemes.join(', ') })}`
      : t('quickSend.formatPlain');
  const describedBy = [
    `hint-${block.id}`,
    counter ? `counter-${block.id}` : '',
    `findings-${block.id}`,
    view.forOne ? 'target-note' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return html`<div
    class=${classMap({ block: true, 'block--invalid': invalid, 'block--overridden': !!view.overriddenFor })}
    part="block"
    data-block=${block.id}
  >
    <div class="block__head">
      <label class="block__label" for=${id}>${block.label}</label>
      ${rules.required ? html`<span class="badge">${t('quickSend.required')}</span>` : nothing}
      ${
        view.overriddenFor
          ? html`<span class="badge badge--accent"
              >${t('quickSend.overridden', { name: view.overriddenFor })}</span
            >`
          : nothing
      }
    </div>
    <textarea
      id=${id}
      part="editor"
      class="control editor"
      rows=${image ? 2 : Math.min(10, Math.max(3, value.split('\n').length + 1))}
      aria-invalid=${invalid ? 'true' : 'false'}
      aria-required=${rules.required ? 'true' : 'false'}
      aria-describedby=${describedBy}
      .value=${live(value)}
      @input=${(e: InputEvent) => on.input((e.target as HTMLTextAreaElement).value)}
    ></textarea>
    <div class="block__tools">
      <span
        id="counter-${block.id}"
        part="counter"
        class=${classMap({
          counter: true,
          'counter--over': rules.maxLength !== undefined && length > rules.maxLength,
        })}
        >${counter}</span
      >
      <span class="block__actions">
        ${view.mergeFields.length && !image ? renderMergeMenu(t, block, view, on) : nothing}
        ${
          view.edited
            ? html`<button class="button button--small button--quiet" type="button" @click=${on.reset}>
                ${view.forOne ? t('quickSend.removeOverride') : t('quickSend.resetBlock')}
              </button>`
            : nothing
        }
      </span>
    </div>
    <p id="hint-${block.id}" class="hint">${hint}</p>
    <ul id="findings-${block.id}" part="findings" class="findings" aria-live="polite">
      ${findings.map((f) => html`<li class="finding">${findingText(t, f)}</li>`)}
      ${serverErrors.map((message) => html`<li class="finding">${message}</li>`)}
    </ul>
  </div>`;
}

function renderMergeMenu(t: Translate, block: Block, view: EditableBlockView, on: EditableBlockHandlers) {
  const open = view.menuOpen;
  return html`<span class="merge" @focusout=${on.menuFocusout}>
    <button
      id="merge-${block.id}"
      part="merge-button"
      class="button button--small"
      type="button"
      aria-haspopup="menu"
      aria-expanded=${open ? 'true' : 'false'}
      aria-controls=${ifDefined(open ? `menu-${block.id}` : undefined)}
      @click=${on.toggleMenu}
    >
      ${t('quickSend.insertField')}
    </button>
    ${
      open
        ? html`<div
            id="menu-${block.id}"
            part="merge-menu"
            class="menu"
            role="menu"
            aria-labelledby="merge-${block.id}"
            @keydown=${on.menuKeydown}
          >
            ${view.mergeFields.map(
              (f) =>
                html`<button
                  class="menu__item"
                  role="menuitem"
                  type="button"
                  tabindex="-1"
                  @click=${() => on.insert(f.key)}
                >
                  <span>${f.label}</span>
                  <code class="menu__code">{{ ${f.key} }}</code>
                </button>`,
            )}
          </div>`
        : nothing
    }
  </span>`;
}
