import { AppError } from '../../shared/errors.js';

/**
 * A value a transform or a type conversion cannot accept. Caught by `mapRecord` and turned into a
 * `RecordIssue` (the record becomes `invalid`); never escapes a run.
 */
export class TransformError extends AppError {
  /** Stable code of the record issue, e.g. `DATE_INVALID`. */
  readonly issueCode: string;
  /** How to fix it. */
  readonly fix: string;

  constructor(issueCode: string, message: string, fix: string) {
    super('MAPPING_VALUE_INVALID', message, { details: { issueCode } });
    this.issueCode = issueCode;
    this.fix = fix;
  }
}
