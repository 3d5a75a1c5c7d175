// The markdown `pnpm bench:ca` prints: issuance (the in-process ceilings and the CA through its
// API, per database and leaf key), OCSP (OpenSSL's responder and the CA's, per method and
// connection handling), CRL generation (the CA's buildCrl and `openssl ca -gencrl`), the CA's
// start-up and memory, issue 5's targets with a verdict each, and notes on what differs.
import { SIGNERS } from './issuance.mjs';

const fixed = (value, digits) => value.toFixed(digits);
const percent = (value) => `${fixed(100 * value, 0)}%`;
const verdict = (ok) => (ok ? 'met' : '**not met**');

/** The fastest ceiling row of a signer for the service row's run, database and key. */
function bestCeiling(rows, service, signer) {
  return rows
    .filter(
      (r) =>
        r.kind === 'ceiling' &&
        r.signer === signer &&
        r.run === service.run &&
        r.database === service.database &&
        r.key === service.key,
    )
    .reduce((best, r) => (best === undefined || r.rps > best.rps ? r : best), undefined);
}

function issuanceTable(rows, connections) {
  const lines = [
    '| run | database | leaf key | target | certificates/s | p50 ms | p99 ms | vs x509 ceiling | CPU | process CPU ms per certificate |',
    '|---|---|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const service = rows.find(
      (s) =>
        s.kind === 'service' && s.run === r.run && s.database === r.database && s.key === r.key,
    );
    const ceiling = bestCeiling(rows, service ?? r, 'x509');
    const vs = ceiling === undefined ? '' : fixed(r.rps / ceiling.rps, 2);
    const processCpu = r.kind === 'ceiling' ? r.cpu : r.processCpu;
    const [target, cpu] =
      r.kind === 'ceiling'
        ? [`in-process: ${SIGNERS[r.signer]}, ${r.inFlight} in flight, 1 core`, percent(r.cpu)]
        : [
            `CA: POST enroll through the API, wrk -c${connections}`,
            `main thread ${percent(r.cpu)}, process ${percent(r.processCpu)}`,
          ];
    lines.push(
      `| ${r.run} | ${r.database} | ${r.what} | ${target} | ${fixed(r.rps, 0)} | ${fixed(r.p50, 2)} | ${fixed(r.p99, 2)} | ${vs} | ${cpu} | ${fixed((1000 * processCpu) / r.rps, 2)} |`,
    );
  }
  return lines;
}

function issuanceTargets(rows, target) {
  return rows
    .filter((r) => r.kind === 'service')
    .map((r) => {
      const ratio = r.rps / bestCeiling(rows, r, 'x509').rps;
      const ours = r.rps / bestCeiling(rows, r, 'ours').rps;
      return (
        `| issuance ${r.what} CA/x509 ceiling ≥ ${target} on ${r.database} (run ${r.run}) | ` +
        `${fixed(ratio, 2)} (CA/its own in-process issueCertificate: ${fixed(ours, 2)}) | ${verdict(ratio >= target)} |`
      );
    });
}

const pairedOpenssl = (rows, r) =>
  rows.find(
    (o) =>
      o.target === 'openssl' &&
      o.run === r.run &&
      o.database === r.database &&
      o.method === r.method,
  );

function ocspTable(rows, connections) {
  const lines = [
    '| run | database | method | connections | target | req/s | p50 ms | p99 ms | vs OpenSSL | main thread CPU |',
    '|---|---|---|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const how =
      r.target === 'openssl'
        ? 'one request each (closed by OpenSSL)'
        : r.close
          ? '`Connection: close`'
          : 'keep-alive';
    lines.push(
      `| ${r.run} | ${r.database} | ${r.method} | ${how}, wrk -c${connections} | ${r.label} | ${fixed(r.rps, 0)} | ${fixed(r.p50, 2)} | ${fixed(r.p99, 2)} | ${fixed(r.rps / pairedOpenssl(rows, r).rps, 2)} | ${percent(r.cpu)} |`,
    );
  }
  return lines;
}

function ocspTargets(rows, target) {
  return rows
    .filter((r) => r.target === 'ca')
    .map((r) => {
      const ratio = r.rps / pairedOpenssl(rows, r).rps;
      const how = r.close
        ? 'one request per connection for both (like for like)'
        : 'CA keep-alive, OpenSSL one request per connection';
      return `| OCSP ${r.method} CA/OpenSSL ≥ ${target}, ${how}, on ${r.database} (run ${r.run}) | ${fixed(ratio, 2)} | ${verdict(ratio >= target)} |`;
    });
}

function crlLines(crl, target) {
  const ms = (values) => values.map((v) => fixed(v, 0)).join(', ');
  const ratio = crl.ours.median / crl.openssl.median;
  return {
    table: [
      `| target (${crl.count.toLocaleString('en')} revoked entries) | runs, ms | median ms | vs OpenSSL |`,
      '|---|---|---:|---:|',
      `| the CA's buildCrl, in-process (P-384, DER, ${fixed(crl.ours.bytes / 1e6, 1)} MB) | ${ms(crl.ours.ms)} | ${fixed(crl.ours.median, 0)} | ${fixed(ratio, 2)} |`,
      `| \`openssl ca -gencrl\` (whole command, PEM out) | ${ms(crl.openssl.ms)} | ${fixed(crl.openssl.median, 0)} | 1.00 |`,
    ],
    target: `| CRL of ${crl.count.toLocaleString('en')} entries: CA time ≤ ${target} × OpenSSL's | ${fixed(ratio, 2)} | ${verdict(ratio <= target)} |`,
  };
}

function processTable(processes) {
  return [
    '| run | database | start | spawn → readyz 200 ms | CA peak RSS MB at readyz | CA peak RSS MB at end |',
    '|---|---|---|---:|---:|---:|',
    ...processes.map(
      (p) =>
        `| ${p.run} | ${p.database} | ${p.start} | ${fixed(p.readyMs, 0)} | ${fixed(p.readyRssMB, 1)} | ${fixed(p.peakRssMB, 1)} |`,
    ),
  ];
}

export function caReport(measured, { targets, connections, ocspConnections }) {
  const { issuance, ocsp, crl, processes, notes } = measured;
  const lines = [];
  const targetRows = [];
  if (issuance.length > 0) {
    lines.push(...issuanceTable(issuance, connections), '');
    targetRows.push(...issuanceTargets(issuance, targets.issuance));
  }
  if (ocsp.length > 0) {
    lines.push(...ocspTable(ocsp, ocspConnections), '');
    targetRows.push(...ocspTargets(ocsp, targets.ocsp));
  }
  if (crl !== undefined) {
    const { table, target } = crlLines(crl, targets.crl);
    lines.push(...table, '');
    targetRows.push(target);
  }
  if (processes.length > 0) lines.push(...processTable(processes), '');
  lines.push('| target | measured | verdict |', '|---|---|---|', ...targetRows);
  if (notes.length > 0) lines.push('', 'Notes:', ...notes.map((note) => `- ${note}`));
  return lines.join('\n');
}
