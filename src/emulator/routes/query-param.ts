/**
 * A query-string parameter by name, compared case-insensitively as ASP.NET Web API binds action
 * parameters (`?Search=`, `?USER=` reach the same action as `?search=`, `?user=`). The first match wins.
 */
export function queryParam(url: URL, name: string): string | null {
  const exact = url.searchParams.get(name);
  if (exact !== null) return exact;
  const wanted = name.toLowerCase();
  for (const [key, value] of url.searchParams) if (key.toLowerCase() === wanted) return value;
  return null;
}
