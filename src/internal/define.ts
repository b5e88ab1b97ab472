import { VERSION } from './version.js';

type Versioned = CustomElementConstructor & { readonly version?: string };

/**
 * Registers `ctor` as `tag` unless the tag is taken. Partner portals sometimes load DM Kit twice
 * (a script tag and a bundle); the first registration wins and a different class only gets a warning
 * naming both versions, instead of the `NotSupportedError` `customElements.define` would throw.
 *
 * @returns true when this call registered the tag.
 */
export function define(
  tag: string,
  ctor: Versioned,
  registry: CustomElementRegistry = customElements,
): boolean {
  const existing = registry.get(tag) as Versioned | undefined;
  if (existing) {
    if (existing !== ctor) {
      const theirs = existing.version ?? 'unknown';
      const ours = ctor.version ?? VERSION;
      console.warn(
        theirs === ours
          ? `[dm-kit] <${tag}> is already defined by another copy of DM Kit ${theirs}; keeping the first one.`
          : `[dm-kit] <${tag}> is already defined by DM Kit ${theirs}; this copy (${ours}) was not registered. ` +
              'Load DM Kit once per page to avoid mismatched elements.',
      );
    }
    return false;
  }
  registry.define(tag, ctor);
  return true;
}
