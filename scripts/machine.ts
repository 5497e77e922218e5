import os from 'node:os';

/** The machine a benchmark ran on, in one line. */
export function machine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  return (
    `${os.type()} ${os.release()} ${os.arch()}, ${cpus.length} × ${model}, ` +
    `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB memory, Node ${process.version}`
  );
}

/** How busy the machine is without the benchmark: the idle share of all cores over 2 s. */
export async function machineLoad(): Promise<{ idle: number; loadAverage: number }> {
  const times = () =>
    os.cpus().reduce(
      (sum, cpu) => {
        const t = cpu.times;
        return { idle: sum.idle + t.idle, total: sum.total + t.idle + t.user + t.nice + t.sys + t.irq };
      },
      { idle: 0, total: 0 },
    );
  const before = times();
  await new Promise((done) => setTimeout(done, 2_000));
  const after = times();
  return { idle: (after.idle - before.idle) / (after.total - before.total), loadAverage: os.loadavg()[0]! };
}

/** A benchmark setting from the environment: a positive integer, else the fallback. */
export function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
