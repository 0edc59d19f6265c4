import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { VirtualScanner } from './virtual-scanner.js';

const Index = Type.Integer({ minimum: 0, maximum: 31 });
const Suffix = Type.Optional(Type.Union([Type.Literal('cr'), Type.Literal('lf'), Type.Literal('crlf')]));
const Aim = Type.Optional(Type.Union([Type.Boolean(), Type.String({ pattern: '^\\].{2}$' })]));
const Baud = Type.Optional(Type.Union([Type.Integer({ minimum: 50 }), Type.Null()]));
/** A payload given inline, or read from a file (first non-empty line; relative to the scenario file). */
const Payload = { payload: Type.Optional(Type.String({ minLength: 1 })), payloadFile: Type.Optional(Type.String({ minLength: 1 })) };

export const ScenarioStepSchema = Type.Union([
  Type.Object({ step: Type.Literal('scan'), scanner: Index, ...Payload, suffix: Suffix, aim: Aim, baudRate: Baud }, { additionalProperties: false }),
  Type.Object(
    { step: Type.Literal('repeat'), scanner: Index, ...Payload, count: Type.Integer({ minimum: 1, maximum: 10_000 }), intervalMs: Type.Optional(Type.Integer({ minimum: 0 })), suffix: Suffix, aim: Aim },
    { additionalProperties: false },
  ),
  Type.Object({ step: Type.Literal('garbage'), scanner: Index, bytes: Type.Integer({ minimum: 1, maximum: 100_000_000 }) }, { additionalProperties: false }),
  Type.Object({ step: Type.Literal('unplug'), scanner: Index }, { additionalProperties: false }),
  Type.Object({ step: Type.Literal('replug'), scanner: Index }, { additionalProperties: false }),
  Type.Object({ step: Type.Literal('wait-ms'), ms: Type.Integer({ minimum: 0, maximum: 3_600_000 }) }, { additionalProperties: false }),
]);
export type ScenarioStep = Static<typeof ScenarioStepSchema>;

/** A scenario file: a list of steps, or `{ scanners, steps }` to start more scanners than the steps name. */
export const ScenarioFileSchema = Type.Union([
  Type.Array(ScenarioStepSchema, { maxItems: 100_000 }),
  Type.Object({ scanners: Type.Optional(Type.Integer({ minimum: 1, maximum: 32 })), steps: Type.Array(ScenarioStepSchema, { maxItems: 100_000 }) }, { additionalProperties: false }),
]);

export interface Scenario {
  scanners: number;
  steps: (ScenarioStep & { resolvedPayload?: string })[];
}

export class ScenarioError extends Error {
  readonly code = 'INVALID_SCENARIO';
}

/** Read and check a scenario file; errors name the step and field. Payload files are read here, up front. */
export async function loadScenario(file: string): Promise<Scenario> {
  let input: unknown;
  try {
    input = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ScenarioError(`cannot read scenario ${file}: ${(err as Error).message}`);
  }
  if (!Value.Check(ScenarioFileSchema, input)) {
    const steps = Array.isArray(input) ? input : (input as { steps?: unknown })?.steps;
    if (Array.isArray(steps)) {
      for (const [i, step] of steps.entries()) {
        if (!Value.Check(ScenarioStepSchema, step)) {
          throw new ScenarioError(`${file}: step ${i} (${JSON.stringify(step).slice(0, 80)}) is not a valid step: see --help for the step forms`);
        }
      }
    }
    const first = Value.Errors(ScenarioFileSchema, input).First();
    throw new ScenarioError(`${file}: ${first?.path || '/'}: ${first?.message ?? 'invalid'}`);
  }
  const rawSteps = Array.isArray(input) ? input : input.steps;
  const steps: Scenario['steps'] = [];
  for (const [i, step] of rawSteps.entries()) {
    if (step.step === 'scan' || step.step === 'repeat') {
      steps.push({ ...step, resolvedPayload: await payloadOf(step, resolve(dirname(file)), `${file}: step ${i}`) });
    } else steps.push(step);
  }
  const named = Math.max(0, ...steps.map((s) => ('scanner' in s ? s.scanner + 1 : 0)));
  const scanners = Math.max(named, Array.isArray(input) ? 1 : input.scanners ?? 1);
  return { scanners, steps };
}

async function payloadOf(step: { payload?: string; payloadFile?: string }, baseDir: string, where: string): Promise<string> {
  if ((step.payload === undefined) === (step.payloadFile === undefined)) throw new ScenarioError(`${where}: give exactly one of payload and payloadFile`);
  if (step.payload !== undefined) return step.payload;
  const text = await readFile(resolve(baseDir, step.payloadFile!), 'utf8').catch((err: Error) => {
    throw new ScenarioError(`${where}: cannot read ${step.payloadFile}: ${err.message}`);
  });
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '');
  if (!line) throw new ScenarioError(`${where}: ${step.payloadFile} holds no payload`);
  return line;
}

/** Run the steps in order against started scanners; `report` hears each step as it finishes. */
export async function runScenario(scenario: Scenario, scanners: VirtualScanner[], report: (i: number, step: ScenarioStep) => void = () => {}): Promise<void> {
  for (const [i, step] of scenario.steps.entries()) {
    if (step.step === 'wait-ms') {
      await new Promise((r) => setTimeout(r, step.ms));
    } else {
      const s = scanners[step.scanner];
      if (!s) throw new ScenarioError(`step ${i}: no scanner ${step.scanner}`);
      if (step.step === 'scan') await s.scan(step.resolvedPayload!, pick(step));
      else if (step.step === 'repeat') await s.repeat(step.resolvedPayload!, step.count, { ...pick(step), ...(step.intervalMs !== undefined ? { intervalMs: step.intervalMs } : {}) });
      else if (step.step === 'garbage') await s.garbage(step.bytes);
      else if (step.step === 'unplug') await s.unplug();
      else await s.replug();
    }
    report(i, step);
  }
}

function pick(step: { suffix?: 'cr' | 'lf' | 'crlf'; aim?: boolean | string; baudRate?: number | null }) {
  return {
    ...(step.suffix !== undefined ? { suffix: step.suffix } : {}),
    ...(step.aim !== undefined ? { aim: step.aim } : {}),
    ...(step.baudRate !== undefined ? { baudRate: step.baudRate } : {}),
  };
}
