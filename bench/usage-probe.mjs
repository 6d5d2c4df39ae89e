/**
 * Preloaded (`node --import ./bench/usage-probe.mjs ...`) into a child process: on exit it writes
 * the child's own CPU time and peak memory to the file named by BENCH_USAGE_FILE, so the bench
 * measures the real command in a fresh process, not the bench's warmed-up one.
 */
import { writeFileSync } from 'node:fs';

const target = process.env.BENCH_USAGE_FILE;
if (target) {
  process.on('exit', () => {
    const cpu = process.cpuUsage();
    // maxRSS is in KiB on every platform Node supports.
    const usage = { userMs: cpu.user / 1000, systemMs: cpu.system / 1000, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
    writeFileSync(target, JSON.stringify(usage));
  });
}
