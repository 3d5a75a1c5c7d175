// The markdown a product benchmark prints: the kit's throughput table (each service row
// compared with the ceiling measured just before it: same run, database and operation), the
// process table (time to readyz; peak RSS, with the ceiling's for scale), the product's targets
// and any notes on answers whose shape differs between the ceiling and the service. Next to each
// req/s ratio stands the main thread's CPU time per request (CPU share / req/s), which a busy
// box disturbs less: ceiling µs / service µs is the ratio a quiet box would show if both
// targets kept their main thread busy.
import { markdownTable } from './report.mjs';

const pairedCeiling = (r, results) =>
  results.find(
    (c) => c.name === 'ceiling' && c.run === r.run && c.database === r.database && c.op === r.op,
  );

const verdict = (ok) => (ok ? 'met' : '**not met**');
const cpuMicros = (r) => (1e6 * r.cpu) / r.rps;

function pairs(results, database, op) {
  return results
    .filter((r) => r.name === 'service' && r.database === database && r.op === op)
    .map((service) => ({ service, ceiling: pairedCeiling(service, results) }));
}

function processTable(label, processes) {
  const mb = (value) => value.toFixed(1);
  return [
    `| run | database | ${label} start | spawn → readyz 200 ms | ${label} peak RSS MB at readyz | ${label} peak RSS MB at end | ceiling peak RSS MB at end |`,
    '|---|---|---|---:|---:|---:|---:|',
    ...processes.map(
      (p) =>
        `| ${p.run} | ${p.database} | ${p.start} | ${p.readyMs.toFixed(0)} | ${mb(p.readyRssMB)} | ${mb(p.peakRssMB)} | ${mb(p.ceilingRssMB)} |`,
    ),
  ];
}

function ratioRows(bench, { results, databases }) {
  const { label, operations, targets } = bench;
  const rows = [];
  for (const database of databases) {
    for (const { op } of operations) {
      const measured = pairs(results, database, op);
      const ratios = measured.map(({ service, ceiling }) => (service.rps / ceiling.rps).toFixed(2));
      const cpu = measured.map(({ service, ceiling }) => {
        const [c, s] = [cpuMicros(ceiling), cpuMicros(service)];
        return `${c.toFixed(0)} → ${s.toFixed(0)} (${(c / s).toFixed(2)})`;
      });
      const ok = measured.every(
        ({ service, ceiling }) => service.rps / ceiling.rps >= targets.ratio,
      );
      rows.push(
        `| ${op} ${label}/ceiling ≥ ${targets.ratio} on ${database} | ${ratios.join(', ')} | ${cpu.join(', ')} | ${verdict(ok)} |`,
      );
    }
  }
  return rows;
}

/** The memory and start-up targets, for the products that have them (`targets.rssMB`, `readyMs`). */
function processRows({ label, targets }, processes) {
  const rows = [];
  if (targets.rssMB !== undefined) {
    const rss = Math.max(...processes.map((p) => p.peakRssMB));
    rows.push(
      `| ${label} peak RSS < ${targets.rssMB} MB | max ${rss.toFixed(1)} | | ${verdict(rss < targets.rssMB)} |`,
    );
  }
  const sqlite = processes.filter((p) => p.database === 'SQLite').map((p) => p.readyMs);
  if (targets.readyMs !== undefined && sqlite.length > 0) {
    const worst = Math.max(...sqlite);
    rows.push(
      `| readyz < ${targets.readyMs} ms on SQLite | max ${worst.toFixed(0)} | | ${verdict(worst < targets.readyMs)} |`,
    );
  }
  return rows;
}

export function productReport(bench, measured) {
  const notes = measured.notes.map((note) => `- ${note}`);
  return [
    markdownTable(measured.results, pairedCeiling),
    '',
    ...processTable(bench.label, measured.processes),
    '',
    `| target | req/s ratio per run | main thread CPU µs/request, ceiling → ${bench.label} (ratio) | verdict |`,
    '|---|---|---|---|',
    ...ratioRows(bench, measured),
    ...processRows(bench, measured.processes),
    ...(notes.length > 0
      ? ['', 'Answers that differ in shape (the ratio compares unlike work):', ...notes]
      : []),
  ].join('\n');
}
