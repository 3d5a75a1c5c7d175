// The TypeScript side of jwcrypto_judge.py: whether Debian's python3-jwcrypto is importable,
// and `judge(cases)`, which runs one batch of cases through it and returns one answer each.
// Debian's interpreter is named by path: the python3 first on PATH may be another one that
// cannot see /usr/lib/python3/dist-packages.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { JWK } from 'jose';

export const DEBIAN_PYTHON = '/usr/bin/python3';
const SCRIPT = join(import.meta.dirname, 'jwcrypto_judge.py');

/** jwcrypto's version ("1.1.0"), or undefined when Debian's python cannot import it. */
export function jwcryptoVersion(): string | undefined {
  const probe = spawnSync(
    DEBIAN_PYTHON,
    ['-c', 'import importlib.metadata as m, jwcrypto; print(m.version("jwcrypto"))'],
    { encoding: 'utf8' },
  );
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

export type JoseJson = Record<string, unknown>;

export type JudgeCase =
  | { readonly op: 'generate'; readonly kty: string; readonly size?: number; readonly crv?: string }
  | {
      readonly op: 'sign';
      readonly jwk: JWK;
      readonly alg: string;
      readonly kid: string;
      readonly payload: string;
      readonly flat?: boolean;
    }
  | { readonly op: 'verify'; readonly jwk: JWK; readonly jws: string | JoseJson }
  | {
      readonly op: 'encrypt';
      readonly jwk: JWK;
      readonly alg: string;
      readonly enc: string;
      readonly kid: string;
      readonly plaintext: string;
      /** With aad the answer is a flattened JWE JSON (RFC 7516 §7.2.2); without, compact. */
      readonly aad?: string;
    }
  | { readonly op: 'decrypt'; readonly jwk: JWK; readonly jwe: string | JoseJson };

/** One answer: `ok` with the operation's members, or the exception's class name alone. */
export interface JudgeAnswer {
  readonly ok: boolean;
  readonly error?: string;
  readonly jwk?: JWK;
  readonly jws?: string | JoseJson;
  readonly jwe?: string | JoseJson;
  readonly payload?: string;
  readonly plaintext?: string;
  readonly aad?: string;
  readonly header?: Record<string, string>;
}

/** Runs the cases through jwcrypto in one interpreter; answers come back in case order. */
export function judge(cases: readonly JudgeCase[]): Promise<JudgeAnswer[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(DEBIAN_PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        // The script answers every case itself; a non-zero exit is a broken judge, and its
        // traceback names code lines only (cases are caught before they can raise).
        reject(new Error(`jwcrypto judge exited ${code}: ${Buffer.concat(err).toString()}`));
        return;
      }
      const { answers } = JSON.parse(Buffer.concat(out).toString()) as { answers: JudgeAnswer[] };
      if (answers.length !== cases.length) reject(new Error('jwcrypto judge lost answers'));
      resolve(answers);
    });
    child.stdin.end(JSON.stringify({ cases }));
  });
}

/** Answers that must all be `ok`, else the test stops naming the first failing case. */
export async function judgeOk(cases: readonly JudgeCase[]): Promise<JudgeAnswer[]> {
  const answers = await judge(cases);
  const failed = answers.findIndex((answer) => !answer.ok);
  if (failed >= 0) {
    const { op } = cases[failed] as JudgeCase;
    throw new Error(`jwcrypto ${op} case ${failed} failed: ${answers[failed]?.error ?? ''}`);
  }
  return answers;
}
