// Story tests: boot the page's reference server before the first story, with time to spare (PGlite,
// the migrations and the demo seed take a while in WebAssembly), so no story's timeout pays for it.
import { beforeAll } from 'vitest';
import { storyServer } from './story-server.js';

beforeAll(() => storyServer(), 180_000);
