/**
 * Reads a request body with a size limit (stops reading at the limit instead of buffering whatever
 * arrives) and turns a form submission (JSON object or `application/x-www-form-urlencoded`) into
 * field → value. Repeated form fields (checkboxes) are joined with ", ".
 */

export type BodyResult =
  { ok: true; raw: Uint8Array } | { ok: false; status: 413 | 400; code: string; message: string };

export type FieldsResult =
  | { ok: true; fields: Record<string, unknown> }
  | { ok: false; status: 400 | 415; code: string; message: string };

/** The raw bytes of `request`'s body, or 413 when it is (or says it is) larger than `maxBytes`. */
export async function readLimitedBody(request: Request, maxBytes: number): Promise<BodyResult> {
  const tooLarge = {
    ok: false as const,
    status: 413 as const,
    code: 'BODY_TOO_LARGE',
    message: `the body is larger than this intake accepts (${maxBytes} bytes)`,
  };
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge;
  if (request.body === null) return { ok: true, raw: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return tooLarge;
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, status: 400, code: 'BODY_UNREADABLE', message: 'the body could not be read' };
  }
  return { ok: true, raw: Buffer.concat(chunks) };
}

/** The submission's fields from a JSON object or a form-encoded body. */
export function parseSubmission(contentType: string | null, raw: Uint8Array): FieldsResult {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const text = Buffer.from(raw).toString('utf8');
  if (type === 'application/json' || type.endsWith('+json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return {
        ok: false,
        status: 400,
        code: 'BAD_JSON',
        message: `the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      return { ok: false, status: 400, code: 'BAD_JSON', message: 'send one JSON object of field → value' };
    return { ok: true, fields: parsed as Record<string, unknown> };
  }
  if (type === 'application/x-www-form-urlencoded') {
    const fields: Record<string, unknown> = {};
    for (const [name, value] of new URLSearchParams(text)) {
      const earlier = fields[name];
      fields[name] = typeof earlier === 'string' ? `${earlier}, ${value}` : value;
    }
    return { ok: true, fields };
  }
  return {
    ok: false,
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'send application/json or application/x-www-form-urlencoded',
  };
}
