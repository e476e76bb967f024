/**
 * The field-mapping part of the configuration file, as zod schemas. The config loader (src/config)
 * embeds `FieldMappingsSpec` under `syncs[].fields` and `RowFilterSpec` under `syncs[].where`; the
 * descriptions below flow into the published JSON Schema, so they are written for people editing YAML.
 *
 * A mapping is either a source column name (shorthand) or an object. Nothing here runs user code: every
 * transform is one of a fixed list, templates only substitute columns, and `where` is a small data-only
 * language (see row-filter-spec.ts).
 */
import { z } from 'zod';

import { closestNames } from './closest-names.js';

/** Values a constant, a default or a value map may hold. */
export const ScalarValue = z
  .union([z.string(), z.number(), z.boolean()])
  .meta({ description: 'A literal value: text, number or true/false.' });
export type ScalarValue = z.infer<typeof ScalarValue>;

/** Transforms that take no option; each may be written as a bare name or as `{ type: <name> }`. */
export const SIMPLE_TRANSFORMS = [
  'trim',
  'lower',
  'upper',
  'title',
  'collapse-spaces',
  'integer',
  'empty-to-null',
] as const;
export type SimpleTransformName = (typeof SIMPLE_TRANSFORMS)[number];

/** Every transform name, in the order the docs list them. */
export const TRANSFORM_NAMES = [
  ...SIMPLE_TRANSFORMS,
  'number',
  'boolean',
  'date',
  'map',
  'truncate',
] as const;
export type TransformName = (typeof TRANSFORM_NAMES)[number];

const SimpleTransformObject = z.strictObject({ type: z.enum(SIMPLE_TRANSFORMS) });

export const NumberTransform = z
  .strictObject({
    type: z.literal('number'),
    /**
     * Decimal separator of the source. The other of `.`/`,`, spaces and apostrophes are accepted as
     * thousands separators only between correct groups of three digits.
     * @default '.'
     */
    decimal: z
      .enum(['.', ','])
      .optional()
      .meta({ description: "Decimal separator used by the source: '.' (default) or ','." }),
  })
  .meta({ description: 'Parse a number ("1,234.50", or "1.234,50" with decimal: ",").' });

export const BooleanTransform = z
  .strictObject({
    type: z.literal('boolean'),
    /**
     * Words read as true, compared case-insensitively after trimming.
     * @default ['yes', 'true', '1', 'y', 'x']
     */
    true: z
      .array(z.string())
      .min(1)
      .optional()
      .meta({ description: 'Words read as true (case-insensitive). Default: yes, true, 1, y, x.' }),
    /**
     * Words read as false, compared case-insensitively after trimming.
     * @default ['no', 'false', '0', 'n']
     */
    false: z
      .array(z.string())
      .min(1)
      .optional()
      .meta({ description: 'Words read as false (case-insensitive). Default: no, false, 0, n.' }),
  })
  .meta({ description: 'Parse yes/no, true/false, 1/0, y/n, x into true/false. Blank stays empty.' });

export const DateTransform = z
  .strictObject({
    type: z.literal('date'),
    /**
     * Explicit pattern of the source text; nothing is guessed. Tokens: `YYYY`, `MM`, `M`, `DD`, `D`,
     * `HH`, `H`, `hh`, `h` (12-hour, needs `A`), `mm`, `ss`, `SSS` (milliseconds), `A` (AM/PM); any
     * other character must appear literally. E.g. `DD/MM/YYYY`, `MM/DD/YYYY HH:mm`, `YYYY-MM-DD`.
     */
    format: z
      .string()
      .min(1)
      .meta({
        description:
          'Pattern of the source date, e.g. DD/MM/YYYY, MM/DD/YYYY HH:mm, YYYY-MM-DDTHH:mm:ss. ' +
          'Tokens: YYYY MM M DD D HH H hh h mm ss SSS A. Nothing is guessed.',
      }),
    /**
     * IANA time zone the source times are in; converted to UTC. Date-only Autotask fields are never
     * shifted (the calendar date is kept).
     * @default 'UTC'
     */
    timeZone: z.string().min(1).optional().meta({
      description: 'IANA time zone of the source (e.g. Europe/Paris); converted to UTC. Default UTC.',
    }),
  })
  .meta({ description: 'Parse a date with an explicit format and time zone into Autotask UTC.' });

export const MapTransform = z
  .strictObject({
    type: z.literal('map'),
    /** Source value → replacement. Keys are compared after trimming, case-insensitively by default. */
    values: z
      .record(z.string(), z.union([ScalarValue, z.null()]))
      .meta({ description: 'Source value → replacement value (null clears).' }),
    /**
     * Replacement for a value that matches no key. Without it (and without `keepUnmatched`) an
     * unmatched value is a record error listing the known keys.
     */
    otherwise: z
      .union([ScalarValue, z.null()])
      .optional()
      .meta({ description: 'Value used when no key matches.' }),
    /**
     * Pass unmatched values through unchanged instead of failing the record.
     * @default false
     */
    keepUnmatched: z
      .boolean()
      .optional()
      .meta({ description: 'Keep unmatched values as they are (default false: unmatched is an error).' }),
    /**
     * Compare keys case-sensitively.
     * @default false
     */
    caseSensitive: z
      .boolean()
      .optional()
      .meta({ description: 'Compare keys case-sensitively (default false).' }),
  })
  .meta({ description: 'Replace values through a table.' });

export const TruncateTransform = z
  .strictObject({
    type: z.literal('truncate'),
    /**
     * Maximum characters. Without it, the Autotask field's length from live metadata.
     * @default the field's metadata length
     */
    length: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: "Maximum characters (default: the Autotask field's length)." }),
  })
  .meta({ description: 'Cut text to a maximum length instead of rejecting the record (explicit opt-in).' });

/** Transforms that may be written as a bare name (their options all have defaults). */
export const BARE_TRANSFORMS = [...SIMPLE_TRANSFORMS, 'number', 'boolean', 'truncate'] as const;
export type BareTransformName = (typeof BARE_TRANSFORMS)[number];

/**
 * A bare transform name. A plain string checked by a refinement rather than an enum, so that a wrong
 * name gets a message that helps (`date` needs its format) and an object written for another
 * transform is explained by the object schema, not drowned in a union error.
 */
const BareTransform = z
  .string()
  .superRefine((name, ctx) => {
    if ((BARE_TRANSFORMS as readonly string[]).includes(name)) return;
    let message: string;
    if (name === 'date') {
      message =
        'the date transform needs its format: write `{ type: date, format: DD/MM/YYYY }` (timeZone optional)';
    } else if (name === 'map') {
      message = 'the map transform needs its table: write `{ type: map, values: { Gold: Customer } }`';
    } else {
      const near = closestNames(name, [...TRANSFORM_NAMES], 1);
      message =
        `unknown transform "${name}": use ${BARE_TRANSFORMS.join(', ')}, or { type: date | map, ... }` +
        (near.length > 0 ? ` (did you mean "${near[0]}"?)` : '');
    }
    ctx.addIssue({ code: 'custom', message });
  })
  .meta({
    enum: [...BARE_TRANSFORMS],
    description:
      'trim, lower, upper, title, collapse-spaces, integer, empty-to-null, number, boolean or truncate ' +
      '(with default options). `date` and `map` need the object form.',
  });

/** A transform in object form, `{ type: ..., options }`. */
export const TransformObject = z.discriminatedUnion('type', [
  SimpleTransformObject,
  NumberTransform,
  BooleanTransform,
  DateTransform,
  MapTransform,
  TruncateTransform,
]);

/** One step of a transform list, as written in the config (bare name or object). */
export type TransformSpec = BareTransformName | z.infer<typeof TransformObject>;
export const TransformSpec = z.union([BareTransform, TransformObject]) as unknown as z.ZodType<
  TransformSpec,
  TransformSpec
>;

/** Entities a `ref` may point at. */
export const REF_ENTITIES = ['Company', 'Contact', 'Resource'] as const;
export type RefEntity = (typeof REF_ENTITIES)[number];

/** Which system owns a field's value. */
export const DIRECTIONS = ['source', 'autotask'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const FieldMappingObject = z
  .strictObject({
    /** Source column the value comes from. */
    column: z.string().min(1).optional().meta({ description: 'Source column to read.' }),
    /** Constant value for every record (create and update). */
    value: z
      .union([ScalarValue, z.null()])
      .optional()
      .meta({ description: 'Constant value written on create and update.' }),
    /** Text built from columns: `"{First Name} {Last Name}"`; `{{` and `}}` are literal braces. */
    template: z.string().min(1).optional().meta({
      description: 'Text built from columns, e.g. "{First Name} {Last Name}". {{ and }} are literal braces.',
    }),
    /** Value used when the record is created and the mapped value is empty. Never used on update. */
    default: ScalarValue.optional().meta({
      description: 'Applied only when a record is created and the mapped value is empty.',
    }),
    /** Ordered transforms applied to the column / template value. */
    transform: z
      .array(TransformSpec)
      .optional()
      .meta({ description: 'Transforms applied in order, e.g. [trim, { type: date, format: DD/MM/YYYY }].' }),
    /**
     * The value names a related record, resolved by the engine: a number → by Autotask id, a value
     * with `@` → by email (Resource, Contact), otherwise by exact name (Company).
     */
    ref: z.enum(REF_ENTITIES).optional().meta({
      description:
        'Related record: Company (id or exact name), Contact (id or email), Resource (id or email).',
    }),
    /**
     * System of record for this field: `source` (the source wins) or `autotask` (the source may only
     * fill the field while it is empty in Autotask).
     * @default 'source'
     */
    direction: z.enum(DIRECTIONS).optional().meta({
      description:
        'source (default): the source wins. autotask: the source only fills the field when empty in Autotask.',
    }),
  })
  .meta({ description: 'Field mapping: one of column, value or template, plus options.' });
export type FieldMappingObject = z.infer<typeof FieldMappingObject>;

/** A field mapping: a source column name (shorthand) or a mapping object. */
export const FieldMappingSpec = z
  .union([z.string().min(1).meta({ description: 'Source column name.' }), FieldMappingObject])
  .superRefine((spec, ctx) => {
    if (typeof spec === 'string') return;
    const sources = (['column', 'value', 'template'] as const).filter((k) => spec[k] !== undefined);
    if (sources.length > 1) {
      ctx.addIssue({
        code: 'custom',
        message: `Use only one of column, value or template (found ${sources.join(' and ')}).`,
      });
    }
    if (sources.length === 0 && spec.default === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'Give a column, a value, a template or a default: this mapping would never set anything.',
      });
    }
    if (spec.value !== undefined && spec.transform !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['transform'],
        message: 'A constant value takes no transform: write the value already transformed.',
      });
    }
  });
export type FieldMappingSpec = z.infer<typeof FieldMappingSpec>;

/** `fields:` — Autotask field name (or `udf:Name`) → mapping. */
export const FieldMappingsSpec = z
  .record(z.string().min(1), FieldMappingSpec)
  .meta({ description: 'Autotask field (or udf:Name for a user-defined field) → mapping.' });
export type FieldMappingsSpec = z.infer<typeof FieldMappingsSpec>;

/** Prefix that marks a user-defined field target. */
export const UDF_PREFIX = 'udf:';
