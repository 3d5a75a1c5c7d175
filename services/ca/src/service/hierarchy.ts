// The CA hierarchy of the configuration (ARCHITECTURE §5 CA): made at the first start with an
// unsealed barrier (generated, or imported from PEM files such as a `cryptoutil ca init`
// ceremony's) and read back on every later one. Parents come before children; a CA whose row
// exists is never regenerated, so its key and certificate outlive restarts and config edits.
// Each CA with a key also gets a delegated OCSP responder certificate (RFC 6960 §4.2.2.2,
// id-pkix-ocsp-nocheck), renewed at half its life. Two instances starting together converge:
// the loser of an insert race reads the winner's row.
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isBarrierError } from '@cryptoutil/barrier';
import { isUniqueViolation } from '@cryptoutil/db';
import type { CaDefinition } from '../config.js';
import { CaError } from '../domain/ca-error.js';
import { EXTENDED_KEY_USAGE_OIDS } from '../domain/profile.js';
import { exportPkcs8, generateCaKeys, importCaPrivateKey } from '../crypto/ca-keys.js';
import {
  certificateInfo,
  createCaCertificate,
  createRootCertificate,
} from '../crypto/ca-certificates.js';
import { issueCertificate } from '../crypto/issue-certificate.js';
import { fromPem } from '../crypto/pem.js';
import { newSerial } from '../crypto/serial.js';
import type { SigningCa } from '../crypto/signing-ca.js';
import type { AuthorityRecord } from '../store/authority-repo.js';
import type { CaStore } from '../store/ca-store.js';
import type { CaKeyVault } from './ca-key-vault.js';
import type { CaUrls } from './ca-urls.js';

const DAY_MS = 86_400_000;

export type CertificateInfo = ReturnType<typeof certificateInfo>;

export interface Authority {
  readonly id: string;
  readonly parentId?: string;
  readonly issuing: boolean;
  readonly certificate: Uint8Array;
  readonly info: CertificateInfo;
  /** This CA's certificate, then its parent's, up to the root. */
  readonly chain: readonly Uint8Array[];
  readonly hasKey: boolean;
  /** The CA's key, to sign certificates and CRLs; CaError `ca-unavailable` without one. */
  signer(): Promise<SigningCa>;
  /** The delegated OCSP responder; undefined for a CA without a key. */
  ocspResponder(): Promise<SigningCa | undefined>;
}

export interface Hierarchy {
  /** Makes or reads the hierarchy; single-flight, and retried after a failure. */
  ready(): Promise<void>;
  list(): readonly Authority[];
  /** CaError `not-found` for an unknown id. */
  get(id: string): Authority;
  /** The issuing CA `enroll` uses: `id`, else the configured default, else the first. */
  issuer(id?: string): Authority;
  /** Renews OCSP responder certificates past half their life. */
  renewResponders(): Promise<number>;
  /** Throws BarrierError `sealed` (503) while the barrier is sealed. */
  assertUnsealed(): void;
}

export interface HierarchyOptions {
  readonly store: CaStore;
  readonly vault: CaKeyVault;
  readonly definitions: readonly CaDefinition[];
  readonly defaultIssuer?: string | undefined;
  readonly urls: CaUrls;
  readonly responderValidityDays: number;
  readonly now?: () => number;
}

function readPemFile(file: string, label: string, what: string): Uint8Array {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CaError('invalid-request', `${what}: cannot read ${file}`, { cause: err });
  }
  return fromPem(text, label);
}

export function createHierarchy(options: HierarchyOptions): Hierarchy {
  const { store, vault, urls } = options;
  const now = options.now ?? Date.now;
  let authorities = new Map<string, Authority>();
  /** Each CA's delegated OCSP responder as sealed in its row, kept in step by ensureResponder. */
  const responders = new Map<string, { certificate: Uint8Array; wrappedKey: string }>();
  let loading: Promise<void> | undefined;

  async function make(definition: CaDefinition, parent: Authority | undefined) {
    if (definition.import !== undefined) {
      const what = `ca.hierarchy ${definition.id}`;
      const certificate = readPemFile(definition.import.certificateFile, 'CERTIFICATE', what);
      const info = certificateInfo(certificate);
      if (!info.isCa) throw new CaError('invalid-request', `${what}: not a CA certificate`);
      let wrappedKey: string | undefined;
      if (definition.import.keyFile !== undefined) {
        const pkcs8 = readPemFile(definition.import.keyFile, 'PRIVATE KEY', what);
        // importCaPrivateKey proves the key belongs to the certificate before it is sealed.
        await importCaPrivateKey(pkcs8, certificate);
        wrappedKey = await vault.seal(definition.id, 'ca', pkcs8);
      }
      return { certificate, wrappedKey };
    }
    const keys = await generateCaKeys(definition.key);
    const at = new Date(now());
    const certificate =
      parent === undefined
        ? await createRootCertificate({
            subject: definition.subject,
            keys,
            validityDays: definition.validityDays,
            ...(definition.pathLength === undefined ? {} : { pathLength: definition.pathLength }),
            now: at,
          })
        : await createCaCertificate({
            subject: definition.subject,
            publicKey: keys.publicKey,
            issuer: await parent.signer(),
            validityDays: definition.validityDays,
            pathLength: definition.pathLength ?? (definition.issuing ? 0 : 1),
            now: at,
            caIssuersUrl: urls.caIssuers(parent.id),
            crlUrl: urls.crl(parent.id),
            ...(parent.parentId === undefined ? {} : { ocspUrl: urls.ocsp }),
          });
    return { certificate, wrappedKey: await vault.sealKey(definition.id, 'ca', keys.privateKey) };
  }

  async function newResponder(record: AuthorityRecord, signer: SigningCa) {
    const keys = await generateCaKeys({ kty: 'EC', curve: 'P-256' });
    const spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', keys.publicKey));
    const notBefore = new Date(Math.floor(now() / 1000) * 1000);
    const certificate = await issueCertificate({
      plan: {
        profileId: 'ocsp-responder',
        subject: [
          { type: 'CN', value: `OCSP responder of ${certificateInfo(record.certificate).subject}` },
        ],
        san: { dns: [], ip: [], email: [], uri: [] },
        notBefore,
        notAfter: new Date(notBefore.getTime() + options.responderValidityDays * DAY_MS - 1000),
        keyUsage: ['digitalSignature'],
        keyUsageCritical: true,
        extendedKeyUsage: [EXTENDED_KEY_USAGE_OIDS.OCSPSigning],
        extendedKeyUsageCritical: false,
        basicConstraints: { ca: false },
        ocspNoCheck: true,
        sanCritical: false,
      },
      spki,
      serial: newSerial(),
      issuer: signer,
      caIssuersUrl: urls.caIssuers(record.id),
    });
    const wrappedKey = await vault.seal(record.id, 'ocsp', await exportPkcs8(keys.privateKey));
    return { certificate, wrappedKey };
  }

  function toAuthority(record: AuthorityRecord, parent: Authority | undefined): Authority {
    const info = certificateInfo(record.certificate);
    const signer = async (): Promise<SigningCa> => {
      if (record.wrappedKey === undefined) {
        throw new CaError('ca-unavailable', `CA ${record.id} has no private key here (offline)`);
      }
      return vault.load(record.id, 'ca', record.certificate, record.wrappedKey);
    };
    return {
      id: record.id,
      ...(record.parentId === undefined ? {} : { parentId: record.parentId }),
      issuing: record.issuing,
      certificate: record.certificate,
      info,
      chain: [record.certificate, ...(parent?.chain ?? [])],
      hasKey: record.wrappedKey !== undefined,
      signer,
      async ocspResponder() {
        // From memory, not the database: this runs for every OCSP answer that is signed afresh.
        const responder = responders.get(record.id);
        if (responder === undefined) return undefined;
        return vault.load(record.id, 'ocsp', responder.certificate, responder.wrappedKey);
      },
    };
  }

  /**
   * Reads the CA's responder (another instance may have renewed it) and renews it past half its
   * life; true when it made a new one.
   */
  async function ensureResponder(authority: Authority): Promise<boolean> {
    if (!authority.hasKey) return false;
    const record = await store.authorities.get(authority.id);
    if (record === undefined) return false;
    if (record.ocsp !== undefined) {
      responders.set(authority.id, record.ocsp);
      const info = certificateInfo(record.ocsp.certificate);
      const half = (info.notBefore.getTime() + info.notAfter.getTime()) / 2;
      if (now() < half) return false;
    }
    const responder = await newResponder(record, await authority.signer());
    await store.authorities.setOcspResponder(authority.id, responder, now());
    responders.set(authority.id, responder);
    return true;
  }

  async function load(): Promise<void> {
    vault.assertUnsealed();
    const next = new Map<string, Authority>();
    for (const definition of options.definitions) {
      const parent = definition.parent === undefined ? undefined : next.get(definition.parent);
      let record = await store.authorities.get(definition.id);
      if (record === undefined) {
        const made = await make(definition, parent);
        const fresh: AuthorityRecord = {
          id: definition.id,
          ...(definition.parent === undefined ? {} : { parentId: definition.parent }),
          issuing: definition.issuing,
          certificate: made.certificate,
          ...(made.wrappedKey === undefined ? {} : { wrappedKey: made.wrappedKey }),
          revision: 0,
          createdAt: now(),
        };
        try {
          await store.authorities.insert(fresh, now());
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
        }
        record = await store.authorities.get(definition.id);
        if (record === undefined) throw new TypeError(`CA ${definition.id} vanished`);
      }
      const authority = toAuthority(record, parent);
      next.set(definition.id, authority);
      await ensureResponder(authority);
    }
    authorities = next;
  }

  function get(id: string): Authority {
    const authority = authorities.get(id);
    if (authority === undefined) throw new CaError('not-found', `no CA ${id}`);
    return authority;
  }

  return {
    ready() {
      if (authorities.size > 0) return Promise.resolve();
      loading ??= load()
        .catch((err: unknown) => {
          // A sealed barrier is a 503 for the caller; anything else is the operator's to fix
          // (a config or import problem), never the caller's fault: an internal error.
          if (isBarrierError(err, 'sealed')) throw err;
          throw new Error('the CA hierarchy could not be made', { cause: err });
        })
        .finally(() => {
          loading = undefined;
        });
      return loading;
    },
    list: () => [...authorities.values()],
    get,
    issuer(id) {
      const chosen =
        id ?? options.defaultIssuer ?? options.definitions.find((d) => d.issuing)?.id ?? '';
      const authority = get(chosen);
      if (!authority.issuing) {
        throw new CaError('ca-unavailable', `CA ${chosen} does not issue end-entity certificates`);
      }
      return authority;
    },
    assertUnsealed: () => vault.assertUnsealed(),
    async renewResponders() {
      let renewed = 0;
      for (const authority of authorities.values()) {
        if (await ensureResponder(authority)) renewed += 1;
      }
      return renewed;
    },
  };
}
