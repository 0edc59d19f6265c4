import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A copy of a drizzle migrations folder holding only the migrations before the one tagged
 * `NNNN_<name>`, so a test can build a database as it was before that migration, write rows in the
 * old form, then let the server's own start apply the rest. `remove()` deletes the copy.
 */
export function migrationsBefore(folder: string, name: string): { folder: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-before-'));
  cpSync(folder, dir, { recursive: true });
  const file = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(file, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag.endsWith(`_${name}`));
  if (at < 0) throw new Error(`no migration named ${name} in ${folder}`);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(file, JSON.stringify(journal));
  return { folder: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
