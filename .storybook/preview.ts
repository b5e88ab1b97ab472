import { ContextRoot } from '@lit/context';
import { setCustomElementsManifest, type Decorator, type Preview } from '@storybook/web-components-vite';
import { html } from 'lit';
import manifest from 'virtual:custom-elements.json';
import { DmJourneyShowroom } from '../src/elements/journey-showroom/define.js';
import { DmProvider } from '../src/elements/provider/define.js';
import { define } from '../src/internal/define.js';
import { storyClient, storyServer, type StoryClientOptions } from '../stories/support/story-server.js';

setCustomElementsManifest(manifest);

// The define modules register the tags on import; registering explicitly as well keeps the stories
// independent of the bundler keeping side-effect-only imports (package.json `sideEffects`).
// define() skips a tag already registered with the same class, so this is otherwise a no-op.
define('dm-provider', DmProvider);
define('dm-journey-showroom', DmJourneyShowroom);

// As in the script-tag entry: providers may be defined after their consumers.
new ContextRoot().attach(document.documentElement);

/**
 * Wraps every story in a `<dm-provider>` with the toolbar's theme, locale and direction and a client of
 * the reference server running in the page (`stories/support/story-server.ts`).
 * A story sets `parameters.api` ({@link StoryClientOptions}: the user, a wrapper for states such as
 * loading or failing) to choose who calls and how the API behaves, `parameters.width` to constrain the
 * width, or `parameters.provider: false` to render its own provider.
 */
const withProvider: Decorator = (story, context) => {
  const theme = (context.globals.theme as string | undefined) ?? 'light';
  const locale = (context.globals.locale as string | undefined) ?? 'en';
  const dir = (context.globals.dir as string | undefined) ?? 'ltr';
  const width = context.parameters.width as string | undefined;
  const frame = `display: block; padding: 1rem; background: var(--dm-color-surface); ${width ? `max-inline-size: ${width};` : ''}`;
  if (context.parameters.provider === false) return html`<div dir=${dir} style=${frame}>${story()}</div>`;
  const client = storyClient((context.parameters.api as StoryClientOptions | undefined) ?? {});
  return html`<dm-provider theme=${theme} locale=${locale} .client=${client}>
    <div dir=${dir} style=${frame}>${story()}</div>
  </dm-provider>`;
};

/** A toolbar menu for a global: `items` maps each value to its title. */
const toolbar = (description: string, title: string, icon: string, items: Record<string, string>) => ({
  description,
  toolbar: {
    title,
    icon,
    items: Object.entries(items).map(([value, label]) => ({ value, title: label })),
    dynamicTitle: true,
  },
});

const preview: Preview = {
  decorators: [withProvider],
  // Stories render once the page's reference server is up (the first story of a page waits for it).
  loaders: [async () => void (await storyServer())],
  globalTypes: {
    theme: toolbar('DM Kit theme', 'Theme', 'contrast', { light: 'Light', dark: 'Dark' }),
    locale: toolbar('DM Kit locale', 'Locale', 'globe', { en: 'English', 'zh-CN': '简体中文' }),
    dir: toolbar('Text direction of the page around the elements', 'Direction', 'transfer', {
      ltr: 'Left to right',
      rtl: 'Right to left',
    }),
  },
  initialGlobals: { theme: 'light', locale: 'en', dir: 'ltr' },
  parameters: {
    layout: 'fullscreen',
    controls: { expanded: true },
  },
  tags: ['autodocs'],
};

export default preview;
