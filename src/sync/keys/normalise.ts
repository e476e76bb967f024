/**
 * Normalisation of dedupe-key values (product.md §3). The same functions run on source records and
 * on Autotask records, so equal keys mean "the same record" on both sides.
 *
 * Unicode: text is normalised with NFKC, so compatibility forms compare equal (full-width "ＡＣＭＥ" =
 * "ACME", the ligature "ﬁ" = "fi", "²" = "2") and composed/decomposed accents are the same letter.
 * Case is folded (upper-casing then lower-casing, so "ß" = "SS" = "ss" and "ς" = "σ"). Accents are
 * **not** removed: "Café" and "Cafe" are different companies. Letters and digits of every script are
 * kept, with their combining marks.
 */

/** NFKC + case fold. */
export function foldText(text: string): string {
  return text.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

/**
 * Company name / opportunity title key: every character that is not a letter, digit or space removed,
 * case-insensitive, whitespace collapsed and trimmed. "Smith & Doe, Inc." → "smith doe inc".
 */
export function normaliseName(text: string): string {
  return foldText(text)
    .replace(/[^\p{L}\p{M}\p{N}\s]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Email key: trimmed and lower-cased ("  Ada@Example.COM " → "ada@example.com"). */
export function normaliseEmail(text: string): string {
  return text.trim().toLowerCase();
}

/** Generic text key: NFKC, case-folded, whitespace collapsed and trimmed; punctuation kept. */
export function normaliseText(text: string): string {
  return foldText(text).replace(/\s+/gu, ' ').trim();
}
