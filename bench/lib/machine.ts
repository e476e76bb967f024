/** The machine a benchmark ran on, recorded beside its figures. */
import { cpus, loadavg, platform, release, totalmem } from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
  /** 1, 5 and 15-minute load averages when the suite started. */
  loadAverageAtStart: [number, number, number];
  startedAt: string;
}

export function machineInfo(now: Date = new Date()): MachineInfo {
  const list = cpus();
  const [one, five, fifteen] = loadavg();
  const r2 = (n: number | undefined): number => Math.round((n ?? 0) * 100) / 100;
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${platform()} ${release()}`,
    loadAverageAtStart: [r2(one), r2(five), r2(fifteen)],
    startedAt: now.toISOString(),
  };
}
