/**
 * Normalisation of dedupe-key values (product.md §3). The same functions run on source records and
 * on Autotask records, so equal keys mean "the same record" on both sides.
 *
 * Unicode: text is normalised with NFKC, so compatibility forms compare equal (full-width "ＡＣＭＥ" =
 * "ACME", the ligature "ﬁ" = "fi", "²" = "2") and composed/decomposed accents are the same letter.
 * Case is folded (as Unicode case folding does: "ß" = "ẞ" = "SS" = "ss", and "ς" = "σ"). Accents are
 * **not** removed: "Café" and "Cafe" are different companies. Letters and digits of every script are
 * kept, with their combining marks; symbols are removed before NFKC, so "Acme™" = "Acme" (not "acmetm").
 */

const NOT_NAME_CHARACTER = /[^\p{L}\p{M}\p{N}\s]/gu;

/** NFKC + case fold. */
export function foldText(text: string): string {
  return (
    text
      .normalize('NFKC')
      // lower → upper → lower approximates Unicode full case folding: "ẞ" → "ß" → "SS" → "ss".
      .toLowerCase()
      .toUpperCase()
      .toLowerCase()
      // Lower-casing picks final sigma by context; folding makes every sigma the same letter.
      .replace(/ς/gu, 'σ')
      .normalize('NFKC')
  );
}

/**
 * Company name / opportunity title key: every character that is not a letter, digit or space removed,
 * case-insensitive, whitespace collapsed and trimmed. "Smith & Doe, Inc." → "smith doe inc".
 */
export function normaliseName(text: string): string {
  // Punctuation and symbols go before NFKC too, so "™" is dropped rather than read as the letters "TM";
  // and again after it, for what NFKC itself produces ("½" → "1⁄2").
  return foldText(text.normalize('NFC').replace(NOT_NAME_CHARACTER, ''))
    .replace(NOT_NAME_CHARACTER, '')
    .replace(/\s+/gu, ' ')
    .trim()
    .normalize('NFKC'); // removing a character can bring a letter and its accent together again
}

/** Email key: trimmed and lower-cased ("  Ada@Example.COM " → "ada@example.com"). */
export function normaliseEmail(text: string): string {
  return text.trim().toLowerCase();
}

/** Generic text key: NFKC, case-folded, whitespace collapsed and trimmed; punctuation kept. */
export function normaliseText(text: string): string {
  return foldText(text).replace(/\s+/gu, ' ').trim();
}
