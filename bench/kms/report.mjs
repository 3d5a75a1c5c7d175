// The markdown the KMS runner prints: the kit's throughput table (each KMS row compared with
// the ceiling measured just before it: same run, database and operation), the KMS process
// table (time to readyz; peak RSS, with the ceiling's for scale) and issue 3's targets. Next to
// each req/s ratio stands the main thread's CPU time per request (CPU share / req/s), which a
// busy box disturbs less: ceiling µs / KMS µs is the ratio a quiet box would show if both
// targets kept their main thread busy.
import { markdownTable } from '../kit/report.mjs';

export const TARGETS = { ratio: 0.7, rssMB: 150, readyMs: 1500 };

const pairedCeiling = (r, results) =>
  results.find(
    (c) => c.name === 'ceiling' && c.run === r.run && c.database === r.database && c.op === r.op,
  );

const verdict = (ok) => (ok ? 'met' : '**not met**');
const cpuMicros = (r) => (1e6 * r.cpu) / r.rps;

function pairs(results, database, op) {
  return results
    .filter((r) => r.name === 'kms' && r.database === database && r.op === op)
    .map((kms) => ({ kms, ceiling: pairedCeiling(kms, results) }));
}

function processTable(processes) {
  const mb = (value) => value.toFixed(1);
  return [
    '| run | database | KMS start | spawn → readyz 200 ms | KMS peak RSS MB at readyz | KMS peak RSS MB at end | ceiling peak RSS MB at end |',
    '|---|---|---|---:|---:|---:|---:|',
    ...processes.map(
      (p) =>
        `| ${p.run} | ${p.database} | ${p.start} | ${p.readyMs.toFixed(0)} | ${mb(p.readyRssMB)} | ${mb(p.peakRssMB)} | ${mb(p.ceilingRssMB)} |`,
    ),
  ];
}

function targetRows({ results, processes, databases }) {
  const rows = [];
  for (const database of databases) {
    for (const op of ['encrypt', 'sign']) {
      const measured = pairs(results, database, op);
      const ratios = measured.map(({ kms, ceiling }) => (kms.rps / ceiling.rps).toFixed(2));
      const cpu = measured.map(({ kms, ceiling }) => {
        const [c, k] = [cpuMicros(ceiling), cpuMicros(kms)];
        return `${c.toFixed(0)} → ${k.toFixed(0)} (${(c / k).toFixed(2)})`;
      });
      const ok = measured.every(({ kms, ceiling }) => kms.rps / ceiling.rps >= TARGETS.ratio);
      rows.push(
        `| ${op} KMS/ceiling ≥ ${TARGETS.ratio} on ${database} | ${ratios.join(', ')} | ${cpu.join(', ')} | ${verdict(ok)} |`,
      );
    }
  }
  const rss = Math.max(...processes.map((p) => p.peakRssMB));
  rows.push(
    `| KMS peak RSS < ${TARGETS.rssMB} MB | max ${rss.toFixed(1)} | | ${verdict(rss < TARGETS.rssMB)} |`,
  );
  const sqlite = processes.filter((p) => p.database === 'SQLite').map((p) => p.readyMs);
  if (sqlite.length > 0) {
    const worst = Math.max(...sqlite);
    rows.push(
      `| readyz < ${TARGETS.readyMs} ms on SQLite | max ${worst.toFixed(0)} | | ${verdict(worst < TARGETS.readyMs)} |`,
    );
  }
  return rows;
}

export function kmsReport(measured) {
  return [
    markdownTable(measured.results, pairedCeiling),
    '',
    ...processTable(measured.processes),
    '',
    '| target | req/s ratio per run | main thread CPU µs/request, ceiling → KMS (ratio) | verdict |',
    '|---|---|---|---|',
    ...targetRows(measured),
  ].join('\n');
}
