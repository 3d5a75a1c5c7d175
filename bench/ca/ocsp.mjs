// OCSP in `pnpm bench:ca`: `count` certificates enrolled through the CA, the last one's request
// made by `openssl ocsp -issuer issuing.pem -cert leaf.pem -no_nonce -reqout`; OpenSSL's
// responder (openssl-responder.mjs) gets the same serials in its index and the same request
// shape for its own CA. Each target's answer is checked once per method with `openssl ocsp
// -respin` (good, "Response verify OK"), then per method (POST, GET) the targets run back to
// back under `wrk -t1 -c<n>` (ocsp.lua): OpenSSL, which closes every connection after its
// answer; the CA with `Connection: close` (one request per connection: the like-for-like
// comparison); the CA with keep-alive (what a client reusing its connection gets).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { URL, fileURLToPath } from 'node:url';
import { withMainThreadCpu } from '../kit/main-thread-cpu.mjs';
import { runWrk } from '../kit/wrk.mjs';
import { ocspExchange, ocspGetPath } from './ca-service.mjs';
import { openssl } from './openssl.mjs';
import { opensslRequest, startOpensslResponder, writeIndex } from './openssl-responder.mjs';

const LUA = fileURLToPath(new URL('ocsp.lua', import.meta.url));
export const METHODS = ['POST', 'GET'];

/** Enrolls `count` certificates; returns their serials and the last one's PEM file. */
async function enrollMany(ca, csrPem, count, dir) {
  const serials = [];
  let pem;
  for (let i = 0; i < count; i += 1) {
    const answer = await ca.enroll(csrPem);
    if (answer.status !== 201) {
      throw new Error(`enroll ${i + 1} of ${count}: HTTP ${answer.status}`);
    }
    const record = JSON.parse(answer.body);
    serials.push(record.serial);
    pem = record.certificatePem;
  }
  const leaf = join(dir, 'ocsp-leaf.pem');
  writeFileSync(leaf, pem);
  return { serials, leaf };
}

/** `openssl ocsp -respin` on one answer: throws unless good and verified; returns its size. */
function checkAnswer(label, answer, dir, verifyArgs) {
  if (answer.status !== 200 || answer.type !== 'application/ocsp-response') {
    throw new Error(`${label}: HTTP ${answer.status}, ${answer.type}`);
  }
  const file = join(dir, 'ocsp-answer.der');
  writeFileSync(file, answer.body);
  const { stdout, stderr } = openssl(['ocsp', '-respin', file, ...verifyArgs]);
  if (!/: good$/m.test(stdout) || !stderr.includes('Response verify OK')) {
    throw new Error(`${label}: openssl ocsp -respin says ${stdout.trim()} ${stderr.trim()}`);
  }
  return answer.body.length;
}

/** wrk's settings for one target and method: the same script and headers for every target. */
function wrkOf({ url, method, requestFile, close, connections }) {
  return {
    url,
    threads: 1,
    connections,
    headers: [
      ...(method === 'POST' ? ['Content-Type: application/ocsp-request'] : []),
      ...(close ? ['Connection: close'] : []),
    ],
    script: LUA,
    scriptArgs: method === 'POST' ? ['post', requestFile] : ['get'],
  };
}

/**
 * Warm-up, then the measured run with the main thread's CPU (OpenSSL's only thread). `start()`
 * gives the target of each wrk invocation: { url, pid, stop? } (OpenSSL: a fresh responder).
 */
async function measure(target, run, { load, connections }) {
  const once = async (seconds, withCpu) => {
    const live = await target.start(run.method);
    try {
      const wrk = { ...wrkOf({ ...run, url: live.url, connections }), seconds };
      return withCpu ? await withMainThreadCpu(live.pid, () => runWrk(wrk)) : await runWrk(wrk);
    } finally {
      await live.stop?.();
    }
  };
  await once(load.warmup, false);
  const result = await once(load.duration, true);
  if (result.failures.length > 0) {
    throw new Error(`${target.label} ${run.method}: ${result.failures.join('; ')}`);
  }
  return result;
}

/**
 * Measures the CA's responder (started `ca`) against OpenSSL's (`opensslDir`, made by
 * makeOpensslResponderCa); returns result rows ({ target, method, close, … }) and the sizes of
 * the checked answers.
 */
export async function measureOcsp({ ca, csrPem, chain, dir, opensslDir, options, common, track }) {
  const { serials, leaf } = await enrollMany(ca, csrPem, options.ocspCertificates, dir);
  const serial = serials.at(-1);
  const ours = join(dir, 'ocsp-req.der');
  openssl(['ocsp', '-issuer', chain.issuing, '-cert', leaf, '-no_nonce', '-reqout', ours]);
  writeIndex(opensslDir, serials);
  const theirs = opensslRequest(opensslDir, serial);
  const chainFile = join(dir, 'chain.pem');
  writeFileSync(chainFile, readFileSync(chain.root, 'utf8') + readFileSync(chain.issuing, 'utf8'));

  const targets = {
    openssl: {
      label: 'OpenSSL `openssl ocsp -port`',
      requestFile: theirs,
      verifyArgs: [
        '-issuer',
        join(opensslDir, 'ca.pem'),
        '-serial',
        `0x${serial}`,
        '-CAfile',
        join(opensslDir, 'ca.pem'),
      ],
      async start(method) {
        const responder = await startOpensslResponder(opensslDir, track);
        const base = `http://127.0.0.1:${responder.port}/`;
        return {
          ...responder,
          url: method === 'GET' ? `${base}${ocspGetPath(readFileSync(theirs))}` : base,
        };
      },
    },
    ca: {
      label: `CA on ${common.database}`,
      requestFile: ours,
      verifyArgs: ['-issuer', chain.issuing, '-cert', leaf, '-CAfile', chainFile],
      start: (method) =>
        Promise.resolve({
          pid: ca.service.pid,
          url: method === 'GET' ? `${ca.ocspUrl}/${ocspGetPath(readFileSync(ours))}` : ca.ocspUrl,
        }),
    },
  };

  const sizes = {};
  for (const [name, target] of Object.entries(targets)) {
    const live = await target.start('POST');
    try {
      for (const method of METHODS) {
        const url = live.url.replace(/\/$/, '');
        const answer = await ocspExchange(url, readFileSync(target.requestFile), method);
        sizes[name] = checkAnswer(`${target.label} ${method}`, answer, dir, target.verifyArgs);
      }
    } finally {
      await live.stop?.();
    }
  }

  const rows = [];
  for (const method of METHODS) {
    for (const [name, close] of [
      ['openssl', true],
      ['ca', true],
      ['ca', false],
    ]) {
      const target = targets[name];
      const run = { method, close, requestFile: target.requestFile };
      const result = await measure(target, run, {
        load: options.load,
        connections: options.ocspConnections,
      });
      const how = close ? 'Connection: close' : 'keep-alive';
      console.error(
        `run ${common.run} ${target.label} OCSP ${method}, ${how}: ${result.rps.toFixed(0)} req/s, ` +
          `main thread ${(100 * result.cpu).toFixed(0)}%`,
      );
      rows.push({ ...common, target: name, label: target.label, method, close, ...result });
    }
  }
  return { rows, sizes, serial };
}
