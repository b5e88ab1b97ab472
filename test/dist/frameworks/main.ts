// A page that uses DM Kit from React (through `dm-kit/react`) and from Vue 3 (plain custom elements),
// bundled by Vite. The API is the reference server, which the test answers under `/api/` on the page's
// origin; the test also gives the page its bearer token (`window.dmToken`).
import { createElement as r } from 'react';
import { createRoot } from 'react-dom/client';
import { createApp, h, ref } from 'vue';
import { DmJourneyShowroom, DmProvider } from '../../../src/react/index.js';
import type { DmJourneySelectEvent } from '../../../src/events/index.js';
import { createClient } from '../../../src/sdk/index.js';

interface Log {
  react: string[];
  vue: string[];
}
const log: Log = { react: [], vue: [] };
(window as unknown as { log: Log }).log = log;

const token = (window as unknown as { dmToken: string }).dmToken;
const client = () => createClient({ baseUrl: new URL('/api', location.href).href, token, retry: { limit: 0 } });

createRoot(document.getElementById('react')!).render(
  r(
    DmProvider,
    { client: client() },
    r(DmJourneyShowroom, {
      category: 'offer',
      onJourneySelect: (e: DmJourneySelectEvent) => log.react.push(e.detail.journey.id),
    }),
  ),
);

createApp({
  setup() {
    const last = ref('');
    return () =>
      h('div', [
        h('dm-provider', { '.client': client() }, [
          h('dm-journey-showroom', {
            '^category': 'offer',
            onDmJourneySelect: (e: DmJourneySelectEvent) => {
              log.vue.push(e.detail.journey.id);
              last.value = e.detail.journey.name;
            },
          }),
        ]),
        h('output', { id: 'vue-last' }, last.value),
      ]);
  },
}).mount('#vue');
