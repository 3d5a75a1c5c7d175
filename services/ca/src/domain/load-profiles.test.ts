// The profile loader: the ten shipped profiles load, operator directories override them in order,
// and every broken file, directory or field fails as a ConfigError naming the file and field.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, type ConfigIssue } from '@cryptoutil/config';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProfiles, SHIPPED_PROFILES_DIR } from './load-profiles.js';

const SHIPPED_IDS = [
  'code-signing',
  'device',
  'intermediate-ca',
  'mtls-client',
  'ocsp-responder',
  'smime-encryption',
  'smime-signing',
  'timestamp',
  'tls-client',
  'tls-server',
];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ca-profiles-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function shipped(id: string): string {
  return readFileSync(join(SHIPPED_PROFILES_DIR, `${id}.yaml`), 'utf8');
}

/** The issues of the ConfigError loadProfiles throws. */
function issuesOf(dirs: readonly string[]): readonly ConfigIssue[] {
  try {
    loadProfiles(dirs);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues;
  }
  throw new Error('the profiles loaded');
}

describe('shipped profiles', () => {
  it('resolves to services/ca/profiles', () => {
    expect(SHIPPED_PROFILES_DIR).toMatch(/[/\\]services[/\\]ca[/\\]profiles$/);
  });

  it('loads all ten, keyed by id, frozen', () => {
    const profiles = loadProfiles([SHIPPED_PROFILES_DIR]);
    expect([...profiles.keys()].sort()).toEqual(SHIPPED_IDS);
    for (const [id, profile] of profiles) {
      expect(profile.id).toBe(id);
      expect(Object.isFrozen(profile)).toBe(true);
      expect(Object.isFrozen(profile.keyUsage)).toBe(true);
    }
  });

  it.each(SHIPPED_IDS)('%s opens with a comment naming what it follows', (id) => {
    const text = shipped(id);
    expect(text.startsWith('# ')).toBe(true);
    expect(text.split('\n', 4).join(' ')).toMatch(/RFC \d+|Baseline Requirements|IEEE/);
  });
});

describe('override order', () => {
  it('lets a later directory replace a profile and add new ones', () => {
    const operator = join(dir, 'operator');
    mkdirSync(operator);
    writeFileSync(
      join(operator, 'tls-server.yaml'),
      shipped('tls-server').replace('maxDays: 200', 'maxDays: 100'),
    );
    writeFileSync(
      join(operator, 'internal-tls.yml'),
      shipped('tls-server').replace('id: tls-server', 'id: internal-tls'),
    );
    writeFileSync(join(operator, 'README.md'), 'not a profile');
    const profiles = loadProfiles([SHIPPED_PROFILES_DIR, operator]);
    expect(profiles.size).toBe(11);
    expect(profiles.get('tls-server')?.validity).toEqual({ defaultDays: 90, maxDays: 100 });
    expect(profiles.get('internal-tls')?.validity.maxDays).toBe(200);
    // The other way round, the shipped file wins.
    expect(loadProfiles([operator, SHIPPED_PROFILES_DIR]).get('tls-server')?.validity.maxDays).toBe(
      200,
    );
  });

  it('follows symbolic links (Kubernetes ConfigMap mounts)', () => {
    symlinkSync(join(SHIPPED_PROFILES_DIR, 'device.yaml'), join(dir, 'device.yaml'));
    expect([...loadProfiles([dir]).keys()]).toEqual(['device']);
  });

  it('loads an empty directory as no profiles', () => {
    expect(loadProfiles([dir]).size).toBe(0);
    expect(loadProfiles([]).size).toBe(0);
  });
});

describe('loader errors', () => {
  it('names a missing directory', () => {
    const missing = join(dir, 'absent');
    expect(issuesOf([missing])).toEqual([
      { path: `ca.profiles: ${missing}`, message: 'cannot read directory (ENOENT)' },
    ]);
  });

  it('names a file with YAML syntax errors', () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'id: broken\nkeys: [unclosed\n');
    const [issue, ...rest] = issuesOf([dir]);
    expect(rest).toEqual([]);
    expect(issue?.path).toBe(`ca.profiles: ${file}`);
    expect(issue?.message).toMatch(/^cannot read YAML: .+ at line \d+, column \d+:$/);
  });

  it('names a file it cannot read', () => {
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling.yaml'));
    expect(issuesOf([dir])).toEqual([
      { path: `ca.profiles: ${join(dir, 'dangling.yaml')}`, message: 'cannot read YAML: ENOENT' },
    ]);
  });

  it('names an unknown key with its full path', () => {
    const file = join(dir, 'tls-server.yaml');
    writeFileSync(file, shipped('tls-server').replace('  ed25519: false', '  ed448: true'));
    expect(issuesOf([dir])).toEqual([
      { path: `ca.profiles: ${file}: keys.ed448`, message: 'unknown key' },
    ]);
  });

  it('names a schema violation at its field', () => {
    const file = join(dir, 'tls-server.yaml');
    writeFileSync(file, shipped('tls-server').replace('minBits: 2048', 'minBits: 1024'));
    expect(issuesOf([dir])).toEqual([
      {
        path: `ca.profiles: ${file}: keys.rsa.minBits`,
        message: 'Too small: expected number to be >=2048',
      },
    ]);
  });

  it('names a root-level problem at the file', () => {
    const file = join(dir, 'empty.yaml');
    writeFileSync(file, '');
    expect(issuesOf([dir])).toEqual([
      {
        path: `ca.profiles: ${file}`,
        message: 'Invalid input: expected object, received null',
      },
    ]);
  });

  it('refuses an id that differs from the file name', () => {
    const file = join(dir, 'web.yaml');
    writeFileSync(file, shipped('tls-server'));
    expect(issuesOf([dir])).toEqual([
      { path: `ca.profiles: ${file}: id`, message: 'must equal the file name "web"' },
    ]);
  });

  it('refuses two files for one id in one directory', () => {
    writeFileSync(join(dir, 'device.yaml'), shipped('device'));
    writeFileSync(join(dir, 'device.yml'), shipped('device'));
    expect(issuesOf([dir])).toEqual([
      {
        path: `ca.profiles: ${join(dir, 'device.yml')}`,
        message: 'a second file for profile device',
      },
    ]);
  });

  it('reports every problem of every directory at once', () => {
    const missing = join(dir, 'absent');
    writeFileSync(join(dir, 'web.yaml'), shipped('tls-server'));
    writeFileSync(join(dir, 'device.yaml'), shipped('device').replace('kind: leaf', 'kind: ca'));
    expect(issuesOf([SHIPPED_PROFILES_DIR, dir, missing]).map((i) => i.path)).toEqual([
      `ca.profiles: ${join(dir, 'device.yaml')}: keyUsage.ec`,
      `ca.profiles: ${join(dir, 'device.yaml')}: keyUsage.rsa`,
      `ca.profiles: ${join(dir, 'device.yaml')}: keyUsage.ed25519`,
      `ca.profiles: ${join(dir, 'device.yaml')}: basicConstraints.ca`,
      `ca.profiles: ${join(dir, 'web.yaml')}: id`,
      `ca.profiles: ${missing}`,
    ]);
  });
});
