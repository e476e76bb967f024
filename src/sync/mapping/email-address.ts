/**
 * Pragmatic email syntax check: one `@`, a local part and a domain with a dot, no spaces, no
 * consecutive or edge dots, a top-level domain of two characters or more. It catches typos and
 * swapped columns, not deliverability.
 */
const EMAIL =
  /^(?!\.)(?!.*\.\.)[^\s@<>()[\]\\,;:"]+(?<!\.)@(?!-)[^\s@<>()[\]\\,;:"_]+\.[^\s@<>()[\]\\,;:"._\d-][^\s@<>()[\]\\,;:"._]+$/u;

export function isEmailAddress(text: string): boolean {
  return text.length <= 254 && EMAIL.test(text);
}

/** Field names that hold email addresses (`emailAddress`, `emailAddress2`, `email`, `email3`). */
export function isEmailFieldName(name: string): boolean {
  return /^e-?mail(address)?\d?$/i.test(name);
}
