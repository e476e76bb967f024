import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { normaliseEmail, normaliseName, normaliseText } from '../../../../src/sync/keys/index.js';

describe('normaliseName (company name / opportunity title)', () => {
  it.each<[string, string]>([
    ['Smith & Doe, Inc.', 'smith doe inc'],
    ['  SMITH   &   DOE INC  ', 'smith doe inc'],
    ['Smith-Doe', 'smithdoe'],
    ["O'Brien & Sons (UK) Ltd.", 'obrien sons uk ltd'],
    ['ＡＣＭＥ　Ｃｏｒｐ', 'acme corp'], // full-width letters and ideographic space (NFKC)
    ['ﬁne wines', 'fine wines'], // ligature
    ['Café Müller', 'café müller'], // accents kept
    ['Cafe\u0301 Mu\u0308ller', 'café müller'], // decomposed accents = composed
    ['STRAßE', 'strasse'], // ß folds to ss
    ['Straße', 'strasse'],
    ['ΣΟΦΙΑ Ltd', 'σοφια ltd'], // final sigma folds with sigma
    ['株式会社 東京', '株式会社 東京'],
    ['नमस्ते Ltd', 'नमस्ते ltd'], // combining vowel signs kept
    ['A\u00a0B\tC\nD', 'a b c d'],
    ['🙂 Smiles', 'smiles'],
    ['3M', '3m'],
    ['', ''],
    ['&&&', ''],
  ])('%j → %j', (input, expected) => {
    expect(normaliseName(input)).toBe(expected);
  });

  it('keeps accents: Café and Cafe are different companies', () => {
    expect(normaliseName('Café')).not.toBe(normaliseName('Cafe'));
  });
});

describe('normaliseEmail and normaliseText', () => {
  it.each<[string, string]>([
    ['  Ada@Example.COM ', 'ada@example.com'],
    ['ada+tag@example.com', 'ada+tag@example.com'],
  ])('email %j → %j', (input, expected) => {
    expect(normaliseEmail(input)).toBe(expected);
  });

  it('text keys fold case and spaces but keep punctuation', () => {
    expect(normaliseText('  AB-12 /  x ')).toBe('ab-12 / x');
  });
});

// Characters from many scripts and classes, so the properties exercise Unicode, not just ASCII.
const letters = [
  'a',
  'B',
  'z',
  'é',
  'É',
  'e\u0301',
  'ß',
  'ẞ',
  'σ',
  'Σ',
  'ς',
  'Ж',
  'ж',
  'ﬁ',
  'Ａ',
  'ｂ',
  '東',
  'क',
  'ि',
  'İ',
  'ı',
  'ǅ',
  '1',
  '٣',
  '²',
];
const punctuation = [
  '&',
  ',',
  '.',
  '-',
  "'",
  '"',
  '(',
  ')',
  '!',
  '?',
  '/',
  '@',
  '#',
  '…',
  '–',
  '—',
  '·',
  '•',
  '«',
  '»',
  '™',
  '©',
  '🙂',
  '+',
  '=',
];
const spaces = [' ', '  ', '\t', '\u00a0', '\u3000'];
const text = fc
  .array(fc.constantFrom(...letters, ...letters, ...punctuation, ...spaces), { maxLength: 20 })
  .map((a) => a.join(''));

describe('normaliseName (properties)', () => {
  it('is idempotent', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(normaliseName(normaliseName(s))).toBe(normaliseName(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('ignores case', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(normaliseName(s.toUpperCase())).toBe(normaliseName(s));
        expect(normaliseName(s.toLowerCase())).toBe(normaliseName(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('ignores punctuation and symbols inserted anywhere, and extra whitespace', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...letters, ' '), { maxLength: 15 }),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...punctuation)), { maxLength: 6 }),
        (chars, inserts) => {
          const base = chars.join('');
          const noisy = [...chars];
          for (const [at, p] of inserts) noisy.splice(at % (noisy.length + 1), 0, p);
          expect(normaliseName(noisy.join(''))).toBe(normaliseName(base));
          expect(normaliseName(`  ${base.replace(/ /g, ' \t ')}  `)).toBe(normaliseName(base));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('gives different keys to names whose letters or digits differ', () => {
    const word = fc.stringMatching(/^[a-z0-9]{1,8}( [a-z0-9]{1,8}){0,3}$/);
    fc.assert(
      fc.property(word, word, (a, b) => {
        expect(normaliseName(a) === normaliseName(b)).toBe(a === b);
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps only letters, marks, digits and single inner spaces', () => {
    fc.assert(
      fc.property(text, (s) => {
        const k = normaliseName(s);
        expect(k).toMatch(/^(?:[\p{L}\p{M}\p{N}]+(?: [\p{L}\p{M}\p{N}]+)*)?$/u);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('normaliseEmail (properties)', () => {
  it('is idempotent and ignores case and surrounding whitespace', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.constantFrom('', ' ', '\t', '  '), (e, pad) => {
        const k = normaliseEmail(e);
        expect(normaliseEmail(k)).toBe(k);
        expect(normaliseEmail(`${pad}${e.toUpperCase()}${pad}`)).toBe(k);
      }),
    );
  });
});
