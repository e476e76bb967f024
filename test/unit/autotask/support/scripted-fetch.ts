/**
 * A scripted `fetch` for the client's unit tests (octokit's habit): each call takes the next
 * scripted answer and is written to `log`, so tests assert the exact request sequence.
 */
export type ScriptedAnswer =
  | { status: number; json?: unknown; text?: string; headers?: Record<string, string> }
  | { error: unknown }
  | ((request: LoggedRequest) => ScriptedAnswer | Promise<ScriptedAnswer>);

export interface LoggedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface ScriptedFetch {
  fetch: typeof fetch;
  log: LoggedRequest[];
  /** `METHOD url` lines, with the common base stripped when given. */
  lines(base?: string): string[];
  remaining(): number;
}

export function scriptedFetch(answers: ScriptedAnswer[]): ScriptedFetch {
  const queue = [...answers];
  const log: LoggedRequest[] = [];
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => {
      headers[k] = v;
    });
    const rawBody = init?.body;
    const request: LoggedRequest = {
      method: init?.method ?? 'GET',
      url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      headers,
      body: typeof rawBody === 'string' ? JSON.parse(rawBody) : undefined,
    };
    log.push(request);
    let answer = queue.shift();
    if (answer === undefined)
      throw new Error(`scripted fetch: no answer left for ${request.method} ${request.url}`);
    while (typeof answer === 'function') answer = await answer(request);
    if ('error' in answer) throw answer.error;
    const body = answer.text ?? (answer.json === undefined ? '' : JSON.stringify(answer.json));
    return new Response(answer.status === 204 ? null : body, {
      status: answer.status,
      headers: answer.headers ?? (answer.json === undefined ? {} : { 'content-type': 'application/json' }),
    });
  };
  return {
    fetch: fetchImpl,
    log,
    lines: (base = '') =>
      log.map((r) => `${r.method} ${r.url.startsWith(base) ? r.url.slice(base.length) : r.url}`),
    remaining: () => queue.length,
  };
}

/** A fetch failure the way undici reports a refused connection. */
export function connectionRefused(): { error: unknown } {
  const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  return { error: new TypeError('fetch failed', { cause }) };
}

/** A fetch failure after the request was sent (socket reset). */
export function connectionReset(): { error: unknown } {
  const cause = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
  return { error: new TypeError('fetch failed', { cause }) };
}
