/**
 * What a `ref:` value asks for: a number is an Autotask id; text with `@` is an email (Resource,
 * Contact); other text is an exact company name (Company). The engine does the looking up.
 */
import type { RefEntity } from './field-mapping-spec.js';
import { isEmailAddress } from './email-address.js';
import { TransformError } from './transform-error.js';
import type { RefRequest } from './types.js';
import { asText, shorten } from './values.js';

export function parseRefRequest(entity: RefEntity, input: unknown, target: string): RefRequest {
  if (typeof input === 'number') return byId(entity, input, target, input);
  const text = asText(input).trim();
  if (/^\d+$/.test(text)) return byId(entity, Number(text), target, text);
  if (entity !== 'Company' || text.includes('@')) {
    if (text.includes('@') && entity !== 'Company') {
      if (!isEmailAddress(text)) {
        throw new TransformError(
          'REF_EMAIL_INVALID',
          // The issue names the field already (`ownerResourceID (column "Owner"): ...`).
          `"${shorten(text)}" is not a valid email address`,
          `give the ${entity.toLowerCase()}'s Autotask id or a valid email address`,
        );
      }
      return { entity, by: 'email', email: text.toLowerCase() };
    }
    if (entity !== 'Company') {
      throw new TransformError(
        'REF_UNSUPPORTED',
        `"${shorten(text)}" is neither an Autotask id nor an email address; ${target} names a ${entity}`,
        `${entity} references are by id or by email (names are not unique)`,
      );
    }
  }
  return { entity, by: 'name', name: text };
}

function byId(entity: RefEntity, id: number, target: string, raw: unknown): RefRequest {
  if (!Number.isSafeInteger(id) || id < 0) {
    throw new TransformError(
      'REF_ID_INVALID',
      `"${shorten(raw)}" is not a valid Autotask id for ${target} (${entity})`,
      'give a whole, non-negative Autotask id',
    );
  }
  return { entity, by: 'id', id };
}
