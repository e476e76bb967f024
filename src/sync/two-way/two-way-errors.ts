import { AppError } from '../../shared/errors.js';

/**
 * More records disappeared from one side than `deletes.maxShare` allows: nothing was changed. Usually
 * a table emptied by mistake or a wrong connection; check it, or raise `maxShare` for this run.
 */
export class TwoWayDeleteGuardError extends AppError {
  constructor(sync: string, gone: number, linked: number, maxShare: number) {
    super(
      'TWO_WAY_DELETE_GUARD',
      `two-way sync "${sync}": ${gone} of ${linked} linked records are gone from one side, more than ` +
        `deletes.maxShare (${maxShare}) allows; nothing was deactivated or written. Check the table and ` +
        'the connection, or raise twoWay[].deletes.maxShare if this is intended',
      { details: { sync, gone, linked, maxShare } },
    );
  }
}
