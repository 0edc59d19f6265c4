import { parseArgs } from 'node:util';
import { hashPin } from './officers.js';

/**
 * Print a PIN hash for the station config's `officers` list:
 *   npx tsx station/screen/hash-pin.ts --id CB-001 --name "Nguyễn Văn An" --pin 4821
 * prints {"id":"CB-001","name":"Nguyễn Văn An","pinHash":"scrypt$..."}.
 */
const { values } = parseArgs({ options: { id: { type: 'string' }, name: { type: 'string' }, pin: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (values.help || !values.pin) {
  process.stdout.write('Usage: npx tsx station/screen/hash-pin.ts --id ID --name NAME --pin PIN\nPrints an officer entry for the station config (the PIN is stored only as a scrypt hash).\n');
  process.exitCode = values.help ? 0 : 2;
} else {
  const pinHash = await hashPin(values.pin);
  process.stdout.write(JSON.stringify({ id: values.id ?? 'CB-001', name: values.name ?? 'Cán bộ', pinHash }) + '\n');
}
