import { readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { SerialPort } from 'serialport';

export interface ListedPort {
  /** The path to put in a scanner's config: the stable /dev/serial/by-id link when there is one. */
  path: string;
  /** The device node it resolves to, e.g. /dev/ttyACM0. */
  device: string;
  manufacturer: string | null;
  serialNumber: string | null;
  vendorId: string | null;
  productId: string | null;
}

interface PortInfoLike {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  pnpId?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

export interface ListPortsDeps {
  list?: () => Promise<PortInfoLike[]>;
  devDir?: string;
}

/**
 * Serial ports that could be scanners. `SerialPort.list()` needs udevadm, which containers lack:
 * when it fails the list falls back to /dev/serial/by-id and /dev/tty{USB,ACM}*. Never throws.
 */
export async function listPorts(deps: ListPortsDeps = {}): Promise<ListedPort[]> {
  const devDir = deps.devDir ?? '/dev';
  const list = deps.list ?? (() => SerialPort.list());
  const byDevice = new Map<string, ListedPort>();
  try {
    for (const p of await list()) {
      const byId = p.pnpId ? join(devDir, 'serial', 'by-id', p.pnpId) : null;
      byDevice.set(p.path, {
        path: byId ?? p.path,
        device: p.path,
        manufacturer: p.manufacturer ?? null,
        serialNumber: p.serialNumber ?? null,
        vendorId: p.vendorId ?? null,
        productId: p.productId ?? null,
      });
    }
  } catch {
    // udevadm missing or failing: the directory listing below still finds the devices.
  }
  const byIdDir = join(devDir, 'serial', 'by-id');
  for (const name of await names(byIdDir)) {
    const link = join(byIdDir, name);
    const device = await realpath(link).catch(() => null);
    if (device === null) continue;
    const known = byDevice.get(device);
    byDevice.set(device, known ? { ...known, path: link } : { path: link, device, manufacturer: null, serialNumber: null, vendorId: null, productId: null });
  }
  for (const name of await names(devDir)) {
    if (!/^tty(USB|ACM)\d+$/.test(name)) continue;
    const device = join(devDir, name);
    if (!byDevice.has(device)) byDevice.set(device, { path: device, device, manufacturer: null, serialNumber: null, vendorId: null, productId: null });
  }
  return [...byDevice.values()].sort((a, b) => a.path.localeCompare(b.path));
}

async function names(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}
