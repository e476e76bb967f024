/**
 * `where:` — the row filter language. Data only, never evaluated as code:
 * a condition is `{ column, <one operator> }`, and conditions combine with `all`, `any` and `not`.
 *
 * ```yaml
 * where: { column: Status, notIn: [inactive, deleted] }
 * where:
 *   all:
 *     - { column: Email, notEmpty: true }
 *     - any: [{ column: Country, eq: FR }, { column: Country, eq: BE }]
 * ```
 * Values are compared as text after trimming (numbers in the config compare to their text form).
 */
import { z } from 'zod';

const Literal = z.union([z.string(), z.number(), z.boolean()]);

/** Operators of a condition; exactly one per condition. */
export const ROW_FILTER_OPERATORS = ['eq', 'ne', 'in', 'notIn', 'empty', 'notEmpty', 'matches'] as const;
export type RowFilterOperator = (typeof ROW_FILTER_OPERATORS)[number];

export const RowFilterCondition = z
  .strictObject({
    column: z.string().min(1).meta({ description: 'Source column to test.' }),
    eq: Literal.optional().meta({ description: 'Keep rows whose value equals this.' }),
    ne: Literal.optional().meta({ description: 'Keep rows whose value differs from this.' }),
    in: z.array(Literal).min(1).optional().meta({ description: 'Keep rows whose value is one of these.' }),
    notIn: z
      .array(Literal)
      .min(1)
      .optional()
      .meta({ description: 'Keep rows whose value is none of these.' }),
    empty: z
      .literal(true)
      .optional()
      .meta({ description: 'Keep rows where the column is blank or missing.' }),
    notEmpty: z.literal(true).optional().meta({ description: 'Keep rows where the column has a value.' }),
    matches: z.string().min(1).max(500).optional().meta({
      description: 'Keep rows whose value matches this regular expression (JavaScript syntax, Unicode).',
    }),
    /**
     * Compare text case-insensitively (eq, ne, in, notIn, matches).
     * @default false
     */
    ignoreCase: z.boolean().optional().meta({ description: 'Compare case-insensitively (default false).' }),
  })
  .superRefine((c, ctx) => {
    const ops = ROW_FILTER_OPERATORS.filter((op) => c[op] !== undefined);
    if (ops.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          ops.length === 0
            ? `Give one operator: ${ROW_FILTER_OPERATORS.join(', ')}.`
            : `Give exactly one operator per condition (found ${ops.join(', ')}); combine conditions with all/any.`,
      });
    }
    if (c.matches !== undefined) {
      try {
        new RegExp(c.matches, 'u');
      } catch (err) {
        ctx.addIssue({
          code: 'custom',
          path: ['matches'],
          message: `Invalid regular expression: ${(err as Error).message}`,
        });
      }
    }
  });
export type RowFilterCondition = z.infer<typeof RowFilterCondition>;

export type RowFilterSpec =
  RowFilterCondition | { all: RowFilterSpec[] } | { any: RowFilterSpec[] } | { not: RowFilterSpec };

export const RowFilterSpec: z.ZodType<RowFilterSpec> = z
  .union([
    RowFilterCondition,
    z.strictObject({
      get all(): z.ZodArray<z.ZodType<RowFilterSpec>> {
        return z.array(RowFilterSpec).min(1);
      },
    }),
    z.strictObject({
      get any(): z.ZodArray<z.ZodType<RowFilterSpec>> {
        return z.array(RowFilterSpec).min(1);
      },
    }),
    z.strictObject({
      get not(): z.ZodType<RowFilterSpec> {
        return RowFilterSpec;
      },
    }),
  ])
  .meta({
    id: 'RowFilter',
    description:
      'Row filter: { column, eq|ne|in|notIn|empty|notEmpty|matches } combined with all / any / not.',
  });
