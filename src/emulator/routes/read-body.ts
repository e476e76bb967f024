/**
 * Reads a request body as text, refusing bodies over `maxBytes` without buffering them: a declared
 * Content-Length over the limit is refused at once, otherwise the stream is read and abandoned as soon
 * as it passes the limit. (Cheaper than re-wrapping every request in a counting stream.)
 */
export async function readBodyLimited(request: Request, maxBytes: number): Promise<string | undefined> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) return undefined;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
