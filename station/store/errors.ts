/** A store operation refused; `code` is stable, the message names the offending item or row. */
export class StoreError extends Error {
  constructor(
    readonly code: 'INVALID_FEED_ITEM' | 'MIGRATION_FAILED' | 'SNAPSHOT_CLOSED' | 'CORRUPT_ROW',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
