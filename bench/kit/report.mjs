// The markdown table the runner prints: one row per run and target, with the ratio of the
// target's req/s to the ceiling measured in the same run (ARCHITECTURE §10: compare ratios)
// and the CPU share its main thread got (under ~90%: the box was busy with other work).
// `ceilingOf` picks the row a result is compared with (default: the same run's `ceiling`).
const fixed = (value, digits) => value.toFixed(digits);
const sameRunCeiling = (r, results) => results.find((c) => c.run === r.run && c.name === 'ceiling');

export function markdownTable(results, ceilingOf = sameRunCeiling) {
  const lines = [
    '| run | target | req/s | p50 ms | p99 ms | vs ceiling | main thread CPU |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    const ceiling = ceilingOf(r, results);
    const ratio = ceiling === undefined ? '' : `${fixed((100 * r.rps) / ceiling.rps, 0)}%`;
    lines.push(
      `| ${r.run} | ${r.label} | ${fixed(r.rps, 0)} | ${fixed(r.p50, 2)} | ${fixed(r.p99, 2)} | ${ratio} | ${fixed(100 * r.cpu, 0)}% |`,
    );
  }
  return lines.join('\n');
}
