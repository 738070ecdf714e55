// Status sets of shared/constants.ts as SQL lists, so that no query spells them by hand. The
// partial indexes of the migrations spell the same list (a test keeps the two equal): a query
// whose WHERE matches the index's text lets SQLite use it.
import { UNFINISHED_STATUSES } from '../../shared/constants.js';

export const sqlList = (values: readonly string[]): string => `(${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')})`;

/** `('NotStarted', 'Queued', 'Preparing', 'Running', 'Finalizing')` */
export const UNFINISHED_SQL = sqlList(UNFINISHED_STATUSES);
