/** A query object: `undefined`/`null` entries are skipped, arrays become repeated keys (`?tag=a&tag=b`). */
export type QueryInit = object;

/** Serializes a query object; returns `''` or a string starting with `?`. Keys keep their order. */
export function toSearch(query: QueryInit | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      params.append(key, item instanceof Date ? item.toISOString() : String(item));
    }
  }
  const search = params.toString();
  return search ? `?${search}` : '';
}

/**
 * Joins the client's base URL and an absolute API path (`/v1/me`), keeping any path in the base
 * (`https://portal.example/dm/` + `/v1/me` → `https://portal.example/dm/v1/me`).
 */
export function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + path;
}

/** Builds a path from a template, percent-encoding each interpolated segment: path`/v1/sends/${id}`. */
export function path(strings: TemplateStringsArray, ...segments: Array<string | number>): string {
  return strings.reduce(
    (out, part, i) => out + part + (i < segments.length ? encodeURIComponent(String(segments[i])) : ''),
    '',
  );
}
