import { describe, expect, it } from 'vitest';
import {
  ELASTIC_KEY_EVENTS,
  ELASTIC_KEY_STATUSES,
  elasticKeyDescriptionSchema,
  elasticKeyNameSchema,
  transition,
  type ElasticKeyEvent,
  type ElasticKeyStatus,
} from './elastic-key.js';
import { isKmsError, KmsError } from './kms-error.js';

const ALLOWED: [ElasticKeyStatus, ElasticKeyEvent, ElasticKeyStatus][] = [
  ['creating', 'await-generate', 'pending_generate'],
  ['creating', 'await-import', 'pending_import'],
  ['creating', 'generated', 'active'],
  ['creating', 'imported', 'active'],
  ['creating', 'purge', 'deleted'],
  ['pending_generate', 'generated', 'active'],
  ['pending_generate', 'purge', 'deleted'],
  ['pending_import', 'imported', 'active'],
  ['pending_import', 'purge', 'deleted'],
  ['active', 'disable', 'disabled'],
  ['active', 'delete', 'pending_delete_was_active'],
  ['disabled', 'enable', 'active'],
  ['disabled', 'delete', 'pending_delete_was_disabled'],
  ['pending_delete_was_active', 'cancel-delete', 'active'],
  ['pending_delete_was_active', 'purge', 'deleted'],
  ['pending_delete_was_disabled', 'cancel-delete', 'disabled'],
  ['pending_delete_was_disabled', 'purge', 'deleted'],
];

describe('transition', () => {
  it.each(ALLOWED)('%s --%s--> %s', (from, event, to) => {
    expect(transition(from, event)).toBe(to);
  });

  // Every pair not in the table is refused: the machine has no implicit edges.
  const allowed = new Set(ALLOWED.map(([from, event]) => `${from} ${event}`));
  const refused = ELASTIC_KEY_STATUSES.flatMap((from) =>
    ELASTIC_KEY_EVENTS.filter((event) => !allowed.has(`${from} ${event}`)).map(
      (event) => [from, event] as const,
    ),
  );

  it('refuses every other pair (the table covers the whole machine)', () => {
    expect(refused).toHaveLength(
      ELASTIC_KEY_STATUSES.length * ELASTIC_KEY_EVENTS.length - ALLOWED.length,
    );
  });

  it.each(refused)('refuses %s --%s--> with invalid-transition', (from, event) => {
    let caught: unknown;
    try {
      transition(from, event);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(KmsError);
    expect(isKmsError(caught, 'invalid-transition')).toBe(true);
    expect((caught as KmsError).message).toBe(`cannot ${event} an elastic key that is ${from}`);
  });

  it('leaves deleted final', () => {
    for (const event of ELASTIC_KEY_EVENTS) {
      expect(() => transition('deleted', event)).toThrow(/cannot .* that is deleted/);
    }
  });
});

describe('elasticKeyNameSchema', () => {
  it.each(['a', 'A-z_0.9', 'x'.repeat(63), 'key.v2', '...', '-lead'])('accepts %s', (name) => {
    expect(elasticKeyNameSchema.parse(name)).toBe(name);
  });

  it.each(['', 'x'.repeat(64), 'has space', 'slash/', 'ünï', 'semi;colon', 'a\n'])(
    'refuses %j',
    (name) => {
      expect(elasticKeyNameSchema.safeParse(name).success).toBe(false);
    },
  );
});

describe('elasticKeyDescriptionSchema', () => {
  it('accepts up to 1024 characters', () => {
    expect(elasticKeyDescriptionSchema.safeParse('').success).toBe(true);
    expect(elasticKeyDescriptionSchema.safeParse('d'.repeat(1024)).success).toBe(true);
    expect(elasticKeyDescriptionSchema.safeParse('d'.repeat(1025)).success).toBe(false);
  });
});

describe('isKmsError', () => {
  it('matches by class and optional code', () => {
    const err = new KmsError('name-taken', 'taken');
    expect(err.name).toBe('KmsError');
    expect(err.code).toBe('name-taken');
    expect(isKmsError(err)).toBe(true);
    expect(isKmsError(err, 'name-taken')).toBe(true);
    expect(isKmsError(err, 'invalid-transition')).toBe(false);
    expect(isKmsError(new Error('x'))).toBe(false);
  });
});
