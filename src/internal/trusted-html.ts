/**
 * Email previews go into `<iframe sandbox srcdoc>`: the frame runs no scripts and has an opaque origin,
 * so the HTML (rendered and sanitized by the server) cannot act on the host page. Under a host CSP with
 * `require-trusted-types-for 'script'`, `srcdoc` only accepts TrustedHTML, so the string passes through
 * a `dm-kit` policy. A host that lists allowed policy names (`trusted-types …`) must include `dm-kit`;
 * if it does not, creating the policy fails and the plain string is used (the browser then reports it).
 */
interface TrustedTypePolicyLike {
  createHTML(input: string): unknown;
}
interface TrustedTypesLike {
  createPolicy(name: string, rules: { createHTML: (input: string) => string }): TrustedTypePolicyLike;
}

let policy: TrustedTypePolicyLike | null | undefined;

/** `html` for an `<iframe sandbox>`'s `srcdoc` property, as TrustedHTML where Trusted Types exist. */
export function sandboxedSrcdoc(html: string): string {
  if (policy === undefined) {
    const tt = (globalThis as { trustedTypes?: TrustedTypesLike }).trustedTypes;
    try {
      policy = tt ? tt.createPolicy('dm-kit', { createHTML: (input) => input }) : null;
    } catch {
      policy = null;
    }
  }
  // TrustedHTML stringifies to the same markup; typed as string for Lit's property binding.
  return (policy ? policy.createHTML(html) : html) as string;
}
