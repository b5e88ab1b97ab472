/**
 * Rendering of the recipient picker's pieces for `<dm-quick-send>`: one contact as a listbox option
 * (disabled, with the reason, when it cannot be mailed) and one selected recipient as a removable chip.
 * Pure templates; the element owns the list, the roving focus and the selection.
 */
import { html, nothing } from 'lit';
import { classMap } from 'lit/directives/class-map.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Contact } from '../../contract/contacts.js';
import type { Translate } from './block-editor.js';
import type { Person } from './send-draft.js';

/** The reason a recipient cannot be mailed, in words. */
export function unavailableLabel(t: Translate, person: Person | undefined): string | undefined {
  return person?.unavailable ? t(`quickSend.unavailable.${person.unavailable}`) : undefined;
}

export interface OptionView {
  readonly contact: Contact;
  readonly person: Person;
  readonly selected: boolean;
}

export function renderOption(
  t: Translate,
  view: OptionView,
  on: { readonly toggle: () => void; readonly keydown: (event: KeyboardEvent) => void },
) {
  const { contact, person, selected } = view;
  const reason = unavailableLabel(t, person);
  return html`<li
    part="option"
    class=${classMap({ option: true, 'option--selected': selected, 'option--disabled': !!reason })}
    role="option"
    data-id=${contact.id}
    aria-selected=${selected ? 'true' : 'false'}
    aria-disabled=${ifDefined(reason ? 'true' : undefined)}
    @click=${on.toggle}
    @keydown=${on.keydown}
  >
    <span class="option__check" aria-hidden="true">${selected ? '✓' : ''}</span>
    <span class="option__text">
      <span class="option__name">${person.name ?? contact.email}</span>
      <span class="option__detail">${[contact.email, contact.company].filter(Boolean).join(' · ')}</span>
    </span>
    ${reason ? html`<span class="badge badge--danger">${reason}</span>` : nothing}
  </li>`;
}

export interface ChipView {
  readonly id: string;
  readonly name: string;
  readonly person: Person | undefined;
  /** Messages from the server's last rejection naming this recipient. */
  readonly errors: readonly string[];
  /** Still looking up who this is. */
  readonly resolving: boolean;
  /** The recipient has their own text for some block. */
  readonly personal: boolean;
}

export function renderChip(t: Translate, view: ChipView, remove: () => void) {
  const { id, errors } = view;
  const reason = unavailableLabel(t, view.person);
  return html`<li class="chips__item">
    <button
      part="chip"
      class=${classMap({ chip: true, 'chip--problem': !!reason || errors.length > 0 })}
      type="button"
      data-id=${id}
      aria-busy=${view.resolving ? 'true' : 'false'}
      aria-describedby=${ifDefined(errors.length ? `chip-error-${id}` : undefined)}
      @click=${remove}
    >
      <span class="visually-hidden">${t('quickSend.removeRecipient')}</span>
      <span class="chip__name">${view.name}</span>
      ${reason ? html`<span class="chip__reason">${reason}</span>` : nothing}
      ${view.personal ? html`<span class="chip__reason">${t('quickSend.personalText')}</span>` : nothing}
      <span class="chip__remove" aria-hidden="true">×</span>
    </button>
    ${errors.length ? html`<span id="chip-error-${id}" class="chip__error">${errors.join(' ')}</span>` : nothing}
  </li>`;
}
