import type { App } from '../env.js';

export function registerContacts(_app: App) {}
