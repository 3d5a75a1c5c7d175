// The CA as a product of the suite: its config, migrations and the factory that wires the store,
// the barrier-backed key vault, the hierarchy, the profiles, enrollment and revocation, the CRL
// publisher, the OCSP responder, the routes and the plain-HTTP revocation listener (ARCHITECTURE
// §2 and §5, issue 5). `cryptoutil ca …` and `cryptoutil dev` run it through startService.
import { uuidv7 } from '@cryptoutil/db';
import { defineProduct } from '@cryptoutil/server';
import { caConfigSchema, type CaConfig } from './config.js';
import { loadProfiles, SHIPPED_PROFILES_DIR } from './domain/load-profiles.js';
import { caRevocationRoutes, caRoutes } from './routes/ca-routes.js';
import { createCaKeyVault } from './service/ca-key-vault.js';
import { caUrlsOf, PKI_CA_PATH } from './service/ca-urls.js';
import { createCertificates } from './service/certificates.js';
import { createCrlPublisher } from './service/crl-publisher.js';
import { createHierarchy } from './service/hierarchy.js';
import { createOcspResponder } from './service/ocsp-responder.js';
import { createRevisions } from './service/revisions.js';
import { caMigrations } from './store/ca-migrations.js';
import { createCaStore } from './store/ca-store.js';

/** The counter of certificate events (issued, revoked, released). */
export const CERTIFICATES_METRIC = 'cryptoutil.ca.certificates';

/** Issue 5: one scope per kind of access. */
export const CA_SCOPES = ['ca:read', 'ca:enroll', 'ca:revoke', 'ca:admin'] as const;

/** How often an instance looks for other instances' revocations, and for CRLs to refresh. */
const POLL_MS = 1000;
const RESPONDER_CHECK_MS = 3_600_000;

/** The base URL certificates name for revocation data. */
export function revocationBaseUrl(config: CaConfig): string {
  const { revocation } = config.ca;
  if (revocation.baseUrl !== undefined) return revocation.baseUrl;
  const host = revocation.address.includes(':') ? `[${revocation.address}]` : revocation.address;
  return `http://${host}:${revocation.port}`;
}

export const caProduct = defineProduct<CaConfig>({
  name: 'ca',
  title: 'Certificate Authority',
  configSchema: caConfigSchema,
  migrations: caMigrations,
  scopes: CA_SCOPES,
  openapi: async (version) => (await import('./openapi.js')).renderCaOpenApi(version),
  createService({ config, database, barrier, logger, telemetry }) {
    const settings = config.ca;
    const store = createCaStore(database);
    const vault = createCaKeyVault(barrier);
    const urls = caUrlsOf(revocationBaseUrl(config));
    const profiles = loadProfiles([SHIPPED_PROFILES_DIR, ...settings.profileDirs]);
    const hierarchy = createHierarchy({
      store,
      vault,
      definitions: settings.hierarchy,
      defaultIssuer: settings.defaultIssuer,
      urls,
      responderValidityDays: settings.ocsp.responderValidityDays,
    });
    const revisions = createRevisions(store);
    const crls = createCrlPublisher({
      store,
      hierarchy,
      revisions,
      urls,
      partitions: settings.crl.partitions,
      validityHours: settings.crl.validityHours,
      refreshBeforeHours: settings.crl.refreshBeforeHours,
    });
    const ocsp = createOcspResponder({
      store,
      hierarchy,
      revisions,
      validityHours: settings.ocsp.validityHours,
      cacheSize: settings.ocsp.cacheEntries,
      onError: (err) => logger.error({ err }, 'OCSP request failed'),
    });
    // ARCHITECTURE §7: issued and revoked certificates (no meter work without a collector).
    const counter = telemetry.enabled
      ? telemetry.meter.createCounter(CERTIFICATES_METRIC, {
          description: 'Certificates issued, revoked and released from hold, by profile and CA.',
          unit: '{certificate}',
        })
      : undefined;
    const certificates = createCertificates({
      store,
      hierarchy,
      profiles,
      revisions,
      crls,
      urls,
      partitions: settings.crl.partitions,
      maxValidityDays: settings.issuance.maxValidityDays,
      maxTlsServerValidityDays: settings.issuance.maxTlsServerValidityDays,
      newId: uuidv7,
      ...(counter === undefined
        ? {}
        : {
            onEvent: (event, profile, issuer) => counter.add(1, { event, profile, issuer }),
          }),
    });
    // The hierarchy needs the unsealed barrier: made now when it is, else at first use.
    const starting =
      barrier.state === 'unsealed'
        ? hierarchy.ready().catch((err: unknown) => {
            logger.error({ err }, 'the CA hierarchy could not be made');
          })
        : Promise.resolve();
    let polling: Promise<unknown> = Promise.resolve();
    const poller = setInterval(() => {
      polling = Promise.all([revisions.poll(), crls.refreshDue()]).catch((err: unknown) => {
        logger.warn({ err }, 'revocation refresh failed');
      });
    }, POLL_MS);
    poller.unref();
    const responders = setInterval(() => {
      void hierarchy.renewResponders().catch((err: unknown) => {
        logger.warn({ err }, 'OCSP responder renewal failed');
      });
    }, RESPONDER_CHECK_MS);
    responders.unref();
    const revocation = { hierarchy, crls, ocsp };
    return starting.then(() => ({
      routes: caRoutes({ hierarchy, profiles, certificates, urls }),
      wellKnown: caRevocationRoutes(revocation, PKI_CA_PATH.replace('/.well-known', '')),
      readinessChecks: [{ name: 'ca-hierarchy', check: () => hierarchy.ready() }],
      ...(settings.revocation.enabled
        ? {
            plainHttp: {
              address: settings.revocation.address,
              port: settings.revocation.port,
              routes: caRevocationRoutes(revocation, PKI_CA_PATH),
            },
          }
        : {}),
      async close() {
        clearInterval(poller);
        clearInterval(responders);
        await polling;
      },
    }));
  },
});
