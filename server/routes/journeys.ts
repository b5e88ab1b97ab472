import type { App } from '../env.js';

export function registerJourneys(_app: App) {}
