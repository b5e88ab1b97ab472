import { ContextRoot } from '@lit/context';
import { setCustomElementsManifest, type Decorator, type Preview } from '@storybook/web-components-vite';
import { html } from 'lit';
import manifest from 'virtual:custom-elements.json';
import { DmJourneyShowroom } from '../src/elements/journey-showroom/define.js';
import { DmProvider } from '../src/elements/provider/define.js';
import { define } from '../src/internal/define.js';
import { createMockClient, type MockApiOptions } from '../stories/support/mock-api.js';

setCustomElementsManifest(manifest);

// The define modules register the tags on import; registering explicitly as well keeps the stories
// independent of the bundler keeping side-effect-only imports (package.json `sideEffects`).
// define() skips a tag already registered with the same class, so this is otherwise a no-op.
define('dm-provider', DmProvider);
define('dm-journey-showroom', DmJourneyShowroom);

// As in the script-tag entry: providers may be defined after their consumers.
new ContextRoot().attach(document.documentElement);

/**
 * Wraps every story in a `<dm-provider>` with the toolbar's theme and locale and a mock API client.
 * A story sets `parameters.mockApi` (see `stories/support/mock-api.ts`) to choose the API's behaviour,
 * `parameters.width` to constrain the width, or `parameters.provider: false` to render its own provider.
 */
const withProvider: Decorator = (story, context) => {
  const theme = (context.globals.theme as string | undefined) ?? 'light';
  const locale = (context.globals.locale as string | undefined) ?? 'en';
  const width = context.parameters.width as string | undefined;
  const frame = `display: block; padding: 1rem; background: var(--dm-color-surface); ${width ? `max-inline-size: ${width};` : ''}`;
  if (context.parameters.provider === false) return html`<div style=${frame}>${story()}</div>`;
  const client = createMockClient((context.parameters.mockApi as MockApiOptions | undefined) ?? {});
  return html`<dm-provider theme=${theme} locale=${locale} .client=${client}>
    <div style=${frame}>${story()}</div>
  </dm-provider>`;
};

const preview: Preview = {
  decorators: [withProvider],
  globalTypes: {
    theme: {
      description: 'DM Kit theme',
      toolbar: {
        title: 'Theme',
        icon: 'contrast',
        items: [
          { value: 'light', title: 'Light' },
          { value: 'dark', title: 'Dark' },
        ],
        dynamicTitle: true,
      },
    },
    locale: {
      description: 'DM Kit locale',
      toolbar: {
        title: 'Locale',
        icon: 'globe',
        items: [
          { value: 'en', title: 'English' },
          { value: 'zh-CN', title: '简体中文' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'light', locale: 'en' },
  parameters: {
    layout: 'fullscreen',
    controls: { expanded: true },
  },
  tags: ['autodocs'],
};

export default preview;
