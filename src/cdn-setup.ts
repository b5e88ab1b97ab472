/**
 * Page-level setup for the script-tag bundle; imported before any element is defined.
 */
import { ContextRoot } from '@lit/context';
import { z } from 'zod';

// Host pages may forbid eval (strict CSP): zod must not compile validators with `new Function`.
z.config({ jitless: true });

// Elements that upgrade before their provider re-request context once the provider appears.
const rooted = Symbol.for('dm-kit.context-root');
const root = document.documentElement as HTMLElement & { [rooted]?: true };
if (!root[rooted]) {
  root[rooted] = true;
  new ContextRoot().attach(root);
}
