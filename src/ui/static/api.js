// Calls to the app's JSON API. The access token travels in the HttpOnly cookie the token link set.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code ?? 'HTTP_ERROR';
    this.issues = body?.error?.issues ?? [];
    /** `STATE_LOCKED`: the process holding the state's run lock (`command`, `pid`, `host`, `since`). */
    this.holder = body?.error?.holder ?? null;
  }
}

export async function api(method, path, body) {
  const res = await fetch(`/api${path}`, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => undefined);
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

/** Uploads a file's bytes; resolves to `{ path }` relative to the configuration's folder. */
export async function upload(file) {
  const res = await fetch(`/api/uploads?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/octet-stream' },
    body: file,
  });
  const json = await res.json().catch(() => undefined);
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

/** One EventSource for the whole app; listeners get each job event. */
const listeners = new Set();
let source;
export function onJobEvent(listener) {
  if (!source) {
    source = new EventSource('/api/events');
    source.addEventListener('job', (e) => {
      const event = JSON.parse(e.data);
      for (const l of listeners) l(event);
    });
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}
