// CPU percent and RSS for heartbeats, as psutil reports them to Locust: CPU time over wall
// time since the previous sample, in percent of one core.
import type { Clock } from "../clock.ts";

export interface Usage {
  cpuPercent: number;
  memoryBytes: number;
}

export function usageMeter(clock: Clock): () => Usage {
  let lastCpu = process.cpuUsage();
  let lastAt = clock.now();
  return () => {
    const cpu = process.cpuUsage();
    const at = clock.now();
    const cpuMicros = cpu.user - lastCpu.user + (cpu.system - lastCpu.system);
    const wallMicros = Math.max(1, (at - lastAt) * 1000);
    lastCpu = cpu;
    lastAt = at;
    return { cpuPercent: Math.round((cpuMicros / wallMicros) * 1000) / 10, memoryBytes: process.memoryUsage.rss() };
  };
}
