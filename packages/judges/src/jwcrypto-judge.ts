// The TypeScript side of python/jwcrypto_judge.py: whether Debian's python3-jwcrypto is
// importable, and `judge(cases)`, which runs one batch of cases through it and returns one
// answer each. Debian's interpreter is named by path: the python3 first on PATH may be another
// one that cannot see /usr/lib/python3/dist-packages. The script ships beside src/ and dist/
// (package.json "files"), so both the sources and the build find it one level up.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { JWK } from 'jose';

export const DEBIAN_PYTHON = '/usr/bin/python3';
export const JWCRYPTO_SCRIPT = join(import.meta.dirname, '..', 'python', 'jwcrypto_judge.py');

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

/** One signature: the key, its alg and kid (both in the protected header), more members. */
export interface JudgeSigner {
  readonly jwk: JWK;
  readonly alg: string;
  readonly kid: string;
  /** Added to the protected header: typ, cty, private names, or RFC 7797's b64 and crit. */
  readonly protected?: JoseJson;
  /** The unprotected header (JSON serializations only). */
  readonly header?: JoseJson;
}

export type JwsSerialization = 'compact' | 'flattened' | 'general';

/** A recipient of a multi-recipient JWE: alg and kid go in its per-recipient header. */
export interface JudgeRecipient {
  readonly jwk: JWK;
  readonly alg: string;
  readonly kid: string;
}

export type JudgeCase =
  | { readonly op: 'generate'; readonly kty: string; readonly size?: number; readonly crv?: string }
  | (JudgeSigner & {
      readonly op: 'sign';
      /** base64url */
      readonly payload: string;
      /** Flattened JSON (the same as serialization "flattened"). */
      readonly flat?: boolean;
      readonly serialization?: JwsSerialization;
      /** Leave the payload out (RFC 7515 Appendix F). */
      readonly detached?: boolean;
    })
  | {
      readonly op: 'sign';
      readonly payload: string;
      /** Several signatures: general JSON serialization. */
      readonly signers: readonly JudgeSigner[];
      readonly detached?: boolean;
    }
  | {
      readonly op: 'verify';
      readonly jwk: JWK;
      readonly jws: string | JoseJson;
      /** A detached payload, base64url. */
      readonly payload?: string;
    }
  | {
      readonly op: 'encrypt';
      readonly jwk: JWK;
      readonly alg: string;
      readonly enc: string;
      readonly kid: string;
      readonly plaintext: string;
      /** With aad or json the answer is a flattened JWE JSON (RFC 7516 §7.2.2); else compact. */
      readonly aad?: string;
      readonly json?: boolean;
      /** Added to the protected header: zip, typ, cty. */
      readonly protected?: JoseJson;
    }
  | {
      readonly op: 'encrypt';
      readonly enc: string;
      readonly plaintext: string;
      /** Several recipients: general JWE JSON (RFC 7516 §7.2.1). */
      readonly recipients: readonly JudgeRecipient[];
      readonly aad?: string;
      readonly protected?: JoseJson;
    }
  | { readonly op: 'decrypt'; readonly jwk: JWK; readonly jwe: string | JoseJson }
  | {
      readonly op: 'jwt-sign';
      readonly jwk: JWK;
      readonly alg: string;
      readonly kid: string;
      readonly claims: JoseJson;
      readonly protected?: JoseJson;
      /** Nest the signed JWT in a compact JWE with cty "JWT" (RFC 7519 §5.2). */
      readonly encryptTo?: JudgeRecipient & { readonly enc: string };
    }
  | ({
      readonly op: 'jwt-verify';
      readonly jwt: string;
      /** jwcrypto's check_claims: values must match; `exp: null` checks exp against the clock. */
      readonly check?: JoseJson;
      /** The key that opens a nested JWT first. */
      readonly decryptWith?: JWK;
    } & ({ readonly jwk: JWK } | { readonly jwks: { readonly keys: readonly JWK[] } }));

/** One answer: `ok` with the operation's members, or the exception's class name alone. */
export interface JudgeAnswer {
  readonly ok: boolean;
  readonly error?: string;
  readonly jwk?: JWK;
  readonly jws?: string | JoseJson;
  readonly jwe?: string | JoseJson;
  readonly jwt?: string;
  /** base64url */
  readonly payload?: string;
  /** base64url */
  readonly plaintext?: string;
  readonly aad?: string;
  /** A JWS's header (a list of them for a general JWS), or a JWE's protected header. */
  readonly header?: JoseJson | JoseJson[];
  readonly claims?: JoseJson;
  readonly outerHeader?: JoseJson;
}

/** Runs the cases through jwcrypto in one interpreter; answers come back in case order. */
export function judge(cases: readonly JudgeCase[]): Promise<JudgeAnswer[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(DEBIAN_PYTHON, [JWCRYPTO_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
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
