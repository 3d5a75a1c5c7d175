// Test helper: runs the system openssl (3.0, /usr/bin/openssl) as the judge of what the CA
// encodes. Each call gets a fresh temporary directory holding `files`; the arguments name them
// relatively, every file left in the directory afterwards is returned, and the directory is
// removed before returning.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const OPENSSL = '/usr/bin/openssl';

export interface OpensslResult {
  readonly stdout: string;
  readonly stderr: string;
  /** Exit status (null when killed by a signal). */
  readonly status: number | null;
  /** Every file in the working directory after the run, inputs included. */
  readonly files: Readonly<Record<string, Uint8Array>>;
}

export interface OpensslOptions {
  /** Written to standard input. */
  readonly input?: string | Uint8Array;
}

/** Runs `openssl args…` in a temporary directory seeded with `files`. */
export function openssl(
  args: readonly string[],
  files: Readonly<Record<string, string | Uint8Array>> = {},
  options: OpensslOptions = {},
): OpensslResult {
  const dir = mkdtempSync(join(tmpdir(), 'ca-openssl-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const run = spawnSync(OPENSSL, args, {
      cwd: dir,
      encoding: 'utf8',
      ...(options.input === undefined ? {} : { input: options.input }),
    });
    const out: Record<string, Uint8Array> = {};
    for (const name of readdirSync(dir)) out[name] = new Uint8Array(readFileSync(join(dir, name)));
    return { stdout: run.stdout, stderr: run.stderr, status: run.status, files: out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Like `openssl`, but throws with openssl's stderr when it exits non-zero. */
export function opensslOk(
  args: readonly string[],
  files: Readonly<Record<string, string | Uint8Array>> = {},
  options: OpensslOptions = {},
): OpensslResult {
  const result = openssl(args, files, options);
  if (result.status !== 0) {
    throw new Error(`openssl ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  }
  return result;
}

/** The named output file of a run, as text. */
export function outputText(result: OpensslResult, name: string): string {
  const file = result.files[name];
  if (file === undefined) throw new Error(`openssl left no ${name}`);
  return Buffer.from(file).toString('utf8');
}

export interface OpensslCsr {
  /** The CSR, PEM. */
  readonly csr: string;
  /** Its private key, PKCS#8 PEM. */
  readonly key: string;
}

/**
 * A CSR made by `openssl req -new` with a new key: `keyArgs` choose it (`-newkey ec -pkeyopt
 * ec_paramgen_curve:P-256`, `-newkey rsa:2048`, …), `subject` is openssl's `/CN=…` form and
 * `extra` adds options such as `-addext subjectAltName=DNS:…` or `-sha1`.
 */
export function opensslCsr(
  keyArgs: readonly string[],
  subject: string,
  extra: readonly string[] = [],
): OpensslCsr {
  const args = ['req', '-new', ...keyArgs, '-nodes', '-keyout', 'key.pem', '-subj', subject];
  const result = opensslOk([...args, ...extra, '-out', 'csr.pem']);
  return { csr: outputText(result, 'csr.pem'), key: outputText(result, 'key.pem') };
}

/** One extension as `openssl x509 -text` prints it. */
export interface PrintedExtension {
  readonly critical: boolean;
  /** The value lines, trimmed and joined with `\n`. */
  readonly value: string;
}

/** The extensions of `openssl x509 -text` (or `req -text`) output, by the name openssl prints. */
export function printedExtensions(text: string): Record<string, PrintedExtension> {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\s+(X509v3 extensions|Requested Extensions):/.test(l));
  const out: Record<string, PrintedExtension> = {};
  if (start < 0) return out;
  const indent = (line: string): number => line.length - line.trimStart().length;
  const headIndent = indent(lines[start + 1] ?? '');
  let current: { name: string; critical: boolean; value: string[] } | undefined;
  const flush = (): void => {
    if (current !== undefined) {
      out[current.name] = { critical: current.critical, value: current.value.join('\n') };
    }
  };
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') continue;
    if (indent(line) < headIndent) break;
    if (indent(line) === headIndent) {
      flush();
      const critical = /: critical\s*$/.test(line);
      current = { name: line.trim().replace(/:( critical)?\s*$/, ''), critical, value: [] };
    } else current?.value.push(line.trim());
  }
  flush();
  return out;
}
