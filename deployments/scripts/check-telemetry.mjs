#!/usr/bin/env node
// Checks the telemetry files of deployments/ that no engine runs here (ARCHITECTURE §7): every
// component a collector pipeline names is declared, and the receiver keeps TLS 1.3; each
// Grafana dashboard is JSON with a unique uid, unique panel ids and only the provisioned
// Prometheus datasource (uid `prometheus` in grafana/otel-lgtm); every product with a compose
// file has a dashboard, grafana/dashboards/<product>.json, whose crypto operation queries
// select that product; the provisioning file points where otel/compose.yml mounts the
// dashboards, and every product's compose file includes otel/compose.yml.
//
//   node deployments/scripts/check-telemetry.mjs
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { parse } = createRequire(join(root, 'packages/cli/package.json'))('yaml');
const at = (path) => join(root, 'deployments', path);
const problems = [];

const collector = parse(readFileSync(at('otel/collector.yaml'), 'utf8'));
for (const [signal, pipeline] of Object.entries(collector.service?.pipelines ?? {})) {
  for (const kind of ['receivers', 'processors', 'exporters']) {
    for (const id of pipeline[kind] ?? []) {
      if (!(id in (collector[kind] ?? {})))
        problems.push(`collector ${signal}: ${kind} ${id} undeclared`);
    }
  }
}
if (collector.receivers?.otlp?.protocols?.grpc?.tls?.min_version !== '1.3') {
  problems.push('collector: the OTLP gRPC receiver must require TLS 1.3');
}

const provisioning = parse(readFileSync(at('grafana/provisioning/dashboards.yaml'), 'utf8'));
const compose = readFileSync(at('otel/compose.yml'), 'utf8');
for (const provider of provisioning.providers ?? []) {
  if (!compose.includes(`../grafana/dashboards:${provider.options?.path}:ro`)) {
    problems.push(
      `provisioning ${provider.name}: ${provider.options?.path} is not where compose mounts ../grafana/dashboards`,
    );
  }
}

// deployments/<product>/compose.yml: every folder with a compose file but the suite and otel.
const products = readdirSync(at('.'), { withFileTypes: true })
  .filter((e) => e.isDirectory() && !['compose', 'otel'].includes(e.name))
  .map((e) => e.name)
  .filter((name) => existsSync(at(`${name}/compose.yml`)));
for (const product of products) {
  const file = parse(readFileSync(at(`${product}/compose.yml`), 'utf8'));
  const paths = (file.include ?? []).map((entry) => entry?.path ?? entry);
  if (!paths.includes('../otel/compose.yml')) {
    problems.push(`${product}/compose.yml does not include ../otel/compose.yml (telemetry)`);
  }
  if (!existsSync(at(`grafana/dashboards/${product}.json`))) {
    problems.push(`${product}: no dashboard grafana/dashboards/${product}.json`);
  }
}

// The crypto operation queries of a product's dashboard count that product's operations only.
function checkProduct(file, panel, product) {
  for (const target of panel.targets ?? []) {
    if (!target.expr?.includes('cryptoutil_crypto_operations_total')) continue;
    if (!target.expr.includes(`product="${product}"`)) {
      problems.push(`${file}: panel ${panel.id} counts operations without product="${product}"`);
    }
  }
}

const uids = new Set();
for (const file of readdirSync(at('grafana/dashboards')).filter((f) => f.endsWith('.json'))) {
  const dashboard = JSON.parse(readFileSync(at(`grafana/dashboards/${file}`), 'utf8'));
  if (uids.has(dashboard.uid)) problems.push(`${file}: duplicate uid ${dashboard.uid}`);
  uids.add(dashboard.uid);
  const panels = (dashboard.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
  const ids = panels.map((p) => p.id);
  if (new Set(ids).size !== ids.length) problems.push(`${file}: duplicate panel ids`);
  for (const panel of panels) {
    const sources = [panel.datasource, ...(panel.targets ?? []).map((t) => t.datasource)];
    for (const ds of sources.filter(Boolean)) {
      if (ds.uid !== 'prometheus')
        problems.push(`${file}: panel ${panel.id} uses datasource ${ds.uid}`);
    }
    for (const target of panel.targets ?? []) {
      if (!target.expr) problems.push(`${file}: panel ${panel.id} has a target without a query`);
    }
    const product = file.replace(/\.json$/, '');
    if (products.includes(product)) checkProduct(file, panel, product);
  }
  console.log(`ok    ${file}: ${panels.filter((p) => p.type !== 'row').length} panels`);
}

for (const problem of problems) console.log(`FAIL  ${problem}`);
if (problems.length === 0)
  console.log(
    `ok    otel/collector.yaml, otel/compose.yml, grafana/provisioning/dashboards.yaml; products ${products.join(', ')}`,
  );
process.exitCode = problems.length === 0 ? 0 : 1;
