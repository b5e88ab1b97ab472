import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { themeDeclarations, tokenNames, type ThemeSetting } from '../src/styles/tokens.js';
import { storyClient } from './support/story-server.js';

interface ProviderArgs {
  theme: ThemeSetting;
  locale: 'en' | 'zh-CN';
}

const meta: Meta<ProviderArgs> = {
  title: 'Elements/Provider',
  component: 'dm-provider',
  // These stories render their own provider, so the toolbar's wrapper is off.
  parameters: { provider: false },
  args: { theme: 'light', locale: 'en' },
  argTypes: {
    theme: { control: 'inline-radio', options: ['light', 'dark', 'auto'] },
    locale: { control: 'inline-radio', options: ['en', 'zh-CN'] },
  },
  render: (args) =>
    html`<dm-provider theme=${args.theme} locale=${args.locale} .client=${storyClient()}>
      <div style="padding: 1rem; background: var(--dm-color-surface);">
        <dm-journey-showroom page-size="6"></dm-journey-showroom>
      </div>
    </dm-provider>`,
};

export default meta;
type Story = StoryObj<ProviderArgs>;

/** A provider gives the elements inside it a client, a locale and a theme. */
export const Light: Story = {};

export const Dark: Story = { args: { theme: 'dark' } };

/** Follows the operating system's light or dark preference. */
export const Auto: Story = { args: { theme: 'auto' } };

export const SimplifiedChinese: Story = { args: { locale: 'zh-CN' } };

/** Host CSS restyles everything inside: here `dm-provider { --dm-color-accent: … }`. */
export const Branded: Story = {
  render: (args) =>
    html`<style>
        dm-provider.branded {
          --dm-color-accent: #7a1f5c;
          --dm-color-accent-hover: #5e1747;
          --dm-color-accent-subtle: #f6e6f0;
          --dm-color-on-accent-subtle: #5e1747;
          --dm-radius-l: 0;
          --dm-radius-m: 0;
        }
      </style>
      <dm-provider class="branded" theme=${args.theme} locale=${args.locale} .client=${storyClient()}>
        <div style="padding: 1rem; background: var(--dm-color-surface);">
          <dm-journey-showroom page-size="3"></dm-journey-showroom>
        </div>
      </dm-provider>`,
};

/** Every system `--dm-*` token of the theme: colours as swatches, the rest with their values. */
export const Tokens: Story = {
  render: (args) => {
    const declared = new Map(
      [...themeDeclarations(args.theme === 'dark' ? 'dark' : 'light').matchAll(/^(--[\w-]+): (.*);$/gm)].map(
        (m) => [m[1]!, m[2]!] as const,
      ),
    );
    const system = tokenNames.filter((name) => !name.startsWith('--dm-ref-'));
    const isColor = (name: string) => /color-(?!scheme)|focus-ring-color/.test(name);
    return html`<dm-provider theme=${args.theme}>
      <dl
        style="display: grid; grid-template-columns: max-content 1fr; gap: 0.5rem 1rem; margin: 0; padding: 1rem; background: var(--dm-color-surface); color: var(--dm-color-text); font-family: var(--dm-font-family);"
      >
        ${system.map(
          (name) =>
            html`<dt><code>${name}</code></dt>
              <dd style="display: flex; gap: 0.5rem; align-items: center; margin: 0;">
                ${
                  isColor(name)
                    ? html`<span
                        style="inline-size: 1.5rem; block-size: 1.5rem; border: 1px solid var(--dm-color-border); background: var(${name});"
                      ></span>`
                    : ''
                }
                <code>${declared.get(name)}</code>
              </dd>`,
        )}
      </dl>
    </dm-provider>`;
  },
};
