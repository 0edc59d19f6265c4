import { UnprocessableError } from '../../domain-errors.js';
import type { RowError } from './shape.js';

/** An import with at least one bad row: nothing was imported; every bad row is listed. */
export class ImportRejectedError extends UnprocessableError {
  override readonly code: string = 'IMPORT_REJECTED';
  constructor(readonly rows: RowError[], total: number) {
    super(
      `${rows.length} of ${total} rows are invalid; nothing was imported`,
      `${rows.length}/${total} dòng không hợp lệ; không dòng nào được nhập`,
      { rows, imported: 0 },
    );
  }
}
