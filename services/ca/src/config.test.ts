// The `ca` config section: the default hierarchy (a P-384 root and issuing CA, parsed through
// the same schema as a written one), and every hierarchy mistake refused with its path.
import { describe, expect, it } from 'vitest';
import { caConfigSchema } from './config.js';

const issues = (ca: unknown) => {
  const result = caConfigSchema.safeParse({ ca });
  return result.success ? [] : result.error.issues.map((i) => [i.path.join('.'), i.message]);
};

describe('the ca section', () => {
  it('defaults to a P-384 root and one P-384 issuing CA under it, with every field filled', () => {
    const { ca, public: pub, admin } = caConfigSchema.parse({});
    expect([pub.port, admin.port, ca.revocation.port]).toEqual([8050, 9050, 8051]);
    expect(ca.hierarchy).toEqual([
      {
        id: 'root',
        subject: 'CN=cryptoutil Root CA',
        key: { kty: 'EC', curve: 'P-384' },
        validityDays: 3650,
        issuing: false,
      },
      {
        id: 'issuing',
        parent: 'root',
        subject: 'CN=cryptoutil Issuing CA',
        key: { kty: 'EC', curve: 'P-384' },
        validityDays: 1825,
        issuing: true,
      },
    ]);
    expect(ca.crl).toEqual({ partitions: 16, validityHours: 24, refreshBeforeHours: 6 });
    expect(ca.issuance.maxTlsServerValidityDays).toBe(200);
  });

  it('refuses a hierarchy whose parts do not fit, naming each', () => {
    const root = { id: 'root', subject: 'CN=Root' };
    expect(issues({ hierarchy: [root, { ...root }] })).toEqual([
      ['ca.hierarchy.1.id', 'duplicate CA id root'],
      ['ca.hierarchy', 'no CA has issuing: true'],
    ]);
    expect(
      issues({ hierarchy: [{ id: 'leafy', parent: 'root', subject: 'CN=X', issuing: true }] }),
    ).toEqual([['ca.hierarchy.0.parent', 'root must be defined before leafy']]);
    expect(issues({ hierarchy: [{ ...root, issuing: true }] })).toEqual([
      [
        'ca.hierarchy.0.issuing',
        'a root does not issue end-entity certificates; add an issuing CA under it',
      ],
    ]);
    expect(
      issues({
        hierarchy: [
          root,
          { id: 'a', parent: 'root', subject: 'CN=A', issuing: true },
          { id: 'b', parent: 'a', subject: 'CN=B', issuing: true },
        ],
      }),
    ).toEqual([
      [
        'ca.hierarchy.2.parent',
        'a is an issuing CA (pathLength 0): give it a pathLength to sign CAs',
      ],
    ]);
    expect(
      issues({
        defaultIssuer: 'root',
        hierarchy: [root, { id: 'a', parent: 'root', subject: 'CN=A', issuing: true }],
      }),
    ).toEqual([['ca.defaultIssuer', 'root is not an issuing CA of the hierarchy']]);
    expect(issues({ hierarchy: [{ id: 'Bad_Id', subject: 'CN=x' }] })[0]?.[0]).toBe(
      'ca.hierarchy.0.id',
    );
    expect(issues({ revocation: { baseUrl: 'ftp://x' } })[0]?.[0]).toBe('ca.revocation.baseUrl');
  });

  it('accepts an imported root without a key as the parent of an issuing CA', () => {
    expect(
      issues({
        hierarchy: [
          { id: 'root', subject: 'CN=R', import: { certificateFile: '/r.pem' } },
          {
            id: 'issuing',
            parent: 'root',
            subject: 'CN=I',
            issuing: true,
            import: { certificateFile: '/i.pem', keyFile: '/i.key' },
          },
        ],
        defaultIssuer: 'issuing',
      }),
    ).toEqual([]);
  });
});
