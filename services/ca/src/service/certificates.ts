// Enrollment and the certificate lifecycle (issue 5): a CSR through a profile becomes a
// certificate at once, or a pending enrollment when the profile asks for approval; an admin
// approves or rejects it; a certificate is revoked with an RFC 5280 reason, a hold released.
// Each step is one transaction with its audit record; a failed enrollment is audited too.
// Revocation changes bump the CA's revision, which regenerates its CRLs and retires its cached
// OCSP answers at once.
import { CaError, isCaError } from '../domain/ca-error.js';
import type { AuditEntry, AuditQuery, AuditRecord } from '../domain/audit.js';
import type { CertificateQuery, CertificateRecord, Page } from '../domain/certificate.js';
import type { CsrSummary } from '../domain/certificate-request.js';
import type { RevocationReason } from '../domain/revocation.js';
import type { Profile } from '../domain/profile.js';
import { applyProfile } from '../domain/apply-profile.js';
import { crlPartitionOf } from '../crypto/crl-partition.js';
import { parseCsr } from '../crypto/csr.js';
import { issueCertificate } from '../crypto/issue-certificate.js';
import { newSerial, normalizeSerial } from '../crypto/serial.js';
import type { CaStore } from '../store/ca-store.js';
import { isUniqueViolation } from '@cryptoutil/db';
import type { Caller } from '@cryptoutil/server';
import type { CaUrls } from './ca-urls.js';
import type { CrlPublisher } from './crl-publisher.js';
import type { Hierarchy } from './hierarchy.js';
import type { Revisions } from './revisions.js';

export interface EnrollRequest {
  readonly csr: string | Uint8Array;
  readonly profile: string;
  readonly issuer?: string | undefined;
  readonly validityDays?: number | undefined;
}

export interface Certificates {
  enroll(caller: Caller, request: EnrollRequest): Promise<CertificateRecord>;
  approve(caller: Caller, id: string): Promise<CertificateRecord>;
  reject(caller: Caller, id: string): Promise<CertificateRecord>;
  get(caller: Caller, id: string): Promise<CertificateRecord>;
  list(caller: Caller, query: CertificateQuery): Promise<Page<CertificateRecord>>;
  /** `removeFromCRL` releases a certificateHold; any other reason revokes. */
  revoke(caller: Caller, id: string, reason: RevocationReason): Promise<CertificateRecord>;
  audit(caller: Caller, query: AuditQuery): Promise<Page<AuditRecord>>;
}

export interface CertificatesOptions {
  readonly store: CaStore;
  readonly hierarchy: Hierarchy;
  readonly profiles: ReadonlyMap<string, Profile>;
  readonly revisions: Revisions;
  readonly crls: CrlPublisher;
  readonly urls: CaUrls;
  readonly partitions: number;
  readonly maxValidityDays: number;
  readonly maxTlsServerValidityDays: number;
  readonly newId: () => string;
  readonly now?: () => number;
  /** Told of every certificate issued, revoked or released (the CA's metrics). */
  readonly onEvent?: (event: CertificateEvent, profile: string, issuerId: string) => void;
}

export type CertificateEvent = 'issued' | 'revoked' | 'released';

const SAN_PREFIX = { dns: 'DNS', ip: 'IP', email: 'email', uri: 'URI' } as const;

function subjectText(csr: Pick<CsrSummary, 'subject'>): string {
  // RFC 4514 orders RDNs most specific first; a CSR lists them from the root down.
  const escape = (value: string) =>
    value
      .replace(/([,+"\\<>;])/g, '\\$1')
      .replace(/^([ #])/, '\\$1')
      .replace(/ $/, '\\ ');
  return [...csr.subject]
    .reverse()
    .map((a) => `${a.type}=${escape(a.value)}`)
    .join(', ');
}

function sanTexts(san: CsrSummary['san']): string[] {
  return (Object.keys(SAN_PREFIX) as (keyof typeof SAN_PREFIX)[]).flatMap((kind) =>
    san[kind].map((value) => `${SAN_PREFIX[kind]}:${value}`),
  );
}

export function createCertificates(options: CertificatesOptions): Certificates {
  const { store, hierarchy, profiles, revisions, crls, urls } = options;
  const now = options.now ?? Date.now;

  const record = (caller: Caller, entry: AuditEntry): AuditRecord => ({
    ...entry,
    id: options.newId(),
    tenantId: caller.tenantId,
    at: now(),
    subject: caller.actor.subject,
    method: caller.actor.method,
    ...(caller.actor.requestId === undefined ? {} : { requestId: caller.actor.requestId }),
  });

  function profileOf(id: string): Profile {
    const profile = profiles.get(id);
    if (profile === undefined) throw new CaError('not-found', `no profile ${id}`);
    return profile;
  }

  function maxDaysFor(profile: Profile): number {
    return profile.id === 'tls-server'
      ? Math.min(options.maxTlsServerValidityDays, options.maxValidityDays)
      : options.maxValidityDays;
  }

  async function issue(pending: CertificateRecord, csr: CsrSummary) {
    const profile = profileOf(pending.profile);
    const plan = applyProfile(profile, csr, {
      now: new Date(now()),
      maxValidityDays: maxDaysFor(profile),
      ...(pending.validityDays === undefined ? {} : { validityDays: pending.validityDays }),
    });
    const authority = hierarchy.issuer(pending.issuerId);
    const signer = await authority.signer();
    const serial = newSerial();
    const partition = crlPartitionOf(serial, options.partitions);
    const der = await issueCertificate({
      plan,
      spki: csr.spki,
      serial,
      issuer: signer,
      ocspUrl: urls.ocsp,
      caIssuersUrl: urls.caIssuers(authority.id),
      crlUrl: urls.crlPartition(authority.id, partition),
    });
    return {
      serial,
      partition,
      der,
      notBefore: plan.notBefore.getTime(),
      notAfter: plan.notAfter.getTime(),
      subject: subjectText(plan),
      sans: sanTexts(plan.san),
    };
  }

  async function audited<T>(
    caller: Caller,
    entry: Omit<AuditEntry, 'outcome'>,
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (isCaError(err)) {
        await store.audit.insert(
          record(caller, { ...entry, outcome: 'failure', failure: err.code }),
        );
      }
      throw err;
    }
  }

  async function load(caller: Caller, id: string): Promise<CertificateRecord> {
    const found = await store.certificates.get(caller.tenantId, id);
    if (found === undefined) throw new CaError('not-found', `no certificate ${id}`);
    return found;
  }

  async function afterRevocationChange(caId: string, revision: number): Promise<void> {
    revisions.observe(caId, revision);
    await crls.regenerate(caId);
  }

  return {
    async enroll(caller, request) {
      await hierarchy.ready();
      return audited(caller, { operation: 'enroll', profile: request.profile }, async () => {
        const profile = profileOf(request.profile);
        const authority = hierarchy.issuer(request.issuer);
        if (profile.kind === 'ca' && authority.info.pathLength === 0) {
          // RFC 5280 §4.2.1.9: no CA certificate may follow one with pathLenConstraint 0.
          throw new CaError(
            'profile-violation',
            `CA ${authority.id} has pathLength 0: it cannot issue CA certificates`,
          );
        }
        const csr = await parseCsr(request.csr);
        const csrDer = typeof request.csr === 'string' ? undefined : request.csr;
        const base: CertificateRecord = {
          id: options.newId(),
          tenantId: caller.tenantId,
          issuerId: authority.id,
          profile: profile.id,
          status: 'pending',
          subject: subjectText(csr),
          sans: sanTexts(csr.san),
          csr: csrDer ?? new TextEncoder().encode(request.csr as string),
          requestedBy: caller.actor.subject,
          createdAt: now(),
          updatedAt: now(),
          ...(request.validityDays === undefined ? {} : { validityDays: request.validityDays }),
        };
        if (profile.approval === 'required') {
          // The rules run now too, so a request that could never be approved fails at once.
          applyProfile(profile, csr, {
            now: new Date(now()),
            maxValidityDays: maxDaysFor(profile),
            ...(request.validityDays === undefined ? {} : { validityDays: request.validityDays }),
          });
          await store.transaction(async (unit) => {
            await unit.certificates.insert(base);
            await unit.audit.insert(
              record(caller, {
                operation: 'enroll',
                outcome: 'pending',
                certificateId: base.id,
                issuerId: authority.id,
                profile: profile.id,
              }),
            );
          });
          return base;
        }
        for (let attempt = 0; ; attempt += 1) {
          const issued = await issue(base, csr);
          const done: CertificateRecord = { ...base, ...issued, status: 'issued' };
          try {
            await store.transaction(async (unit) => {
              await unit.certificates.insert(done);
              await unit.audit.insert(
                record(caller, {
                  operation: 'enroll',
                  outcome: 'issued',
                  certificateId: done.id,
                  issuerId: authority.id,
                  serial: issued.serial,
                  profile: profile.id,
                }),
              );
            });
            options.onEvent?.('issued', profile.id, authority.id);
            return done;
          } catch (err) {
            // A serial collision (2^-127 per pair) is retried with a new serial, once.
            if (!isUniqueViolation(err) || attempt > 0) throw err;
          }
        }
      });
    },

    async approve(caller, id) {
      await hierarchy.ready();
      const pending = await load(caller, id);
      return audited(caller, { operation: 'approve', certificateId: id }, async () => {
        if (pending.status !== 'pending') {
          throw new CaError('conflict', `certificate ${id} is ${pending.status}, not pending`);
        }
        const csr = await parseCsr(pending.csr);
        const issued = await issue(pending, csr);
        const decided = await store.transaction(async (unit) => {
          const changed = await unit.certificates.markIssued(
            id,
            issued,
            caller.actor.subject,
            now(),
          );
          if (!changed) throw new CaError('conflict', `certificate ${id} was decided meanwhile`);
          await unit.audit.insert(
            record(caller, {
              operation: 'approve',
              outcome: 'issued',
              certificateId: id,
              issuerId: pending.issuerId,
              serial: issued.serial,
              profile: pending.profile,
            }),
          );
          return true;
        });
        if (!decided) throw new TypeError('unreachable');
        options.onEvent?.('issued', pending.profile, pending.issuerId);
        return load(caller, id);
      });
    },

    async reject(caller, id) {
      const pending = await load(caller, id);
      return audited(caller, { operation: 'reject', certificateId: id }, async () => {
        await store.transaction(async (unit) => {
          const changed = await unit.certificates.markRejected(id, caller.actor.subject, now());
          if (!changed) {
            throw new CaError('conflict', `certificate ${id} is ${pending.status}, not pending`);
          }
          await unit.audit.insert(
            record(caller, {
              operation: 'reject',
              outcome: 'rejected',
              certificateId: id,
              issuerId: pending.issuerId,
              profile: pending.profile,
            }),
          );
        });
        return load(caller, id);
      });
    },

    get: load,

    list(caller, query) {
      const serial = query.serial === undefined ? undefined : normalizeSerial(query.serial);
      return store.certificates.list(caller.tenantId, { ...query, serial });
    },

    async revoke(caller, id, reason) {
      // A revocation must reach the signed CRLs and OCSP answers at once: not while sealed.
      hierarchy.assertUnsealed();
      await hierarchy.ready();
      const found = await load(caller, id);
      const releasing = reason === 'removeFromCRL';
      const operation = releasing ? 'release' : 'revoke';
      return audited(caller, { operation, certificateId: id, failure: reason }, async () => {
        const revision = await store.transaction(async (unit) => {
          const at = now();
          const changed = releasing
            ? await unit.certificates.releaseHold(id, at)
            : await unit.certificates.markRevoked(id, at, reason, at);
          if (!changed) {
            const state =
              found.status === 'revoked' ? `revoked (${found.revocationReason})` : found.status;
            throw new CaError(
              'conflict',
              releasing
                ? `certificate ${id} is not on hold: it is ${state}`
                : `certificate ${id} cannot be revoked: it is ${state}`,
            );
          }
          await unit.audit.insert(
            record(caller, {
              operation,
              outcome: releasing ? 'released' : 'revoked',
              certificateId: id,
              issuerId: found.issuerId,
              ...(found.serial === undefined ? {} : { serial: found.serial }),
              profile: found.profile,
              failure: reason,
            }),
          );
          return unit.authorities.bumpRevision(found.issuerId);
        });
        await afterRevocationChange(found.issuerId, revision);
        options.onEvent?.(releasing ? 'released' : 'revoked', found.profile, found.issuerId);
        return load(caller, id);
      });
    },

    audit(caller, query) {
      return store.audit.list(caller.tenantId, query);
    },
  };
}
