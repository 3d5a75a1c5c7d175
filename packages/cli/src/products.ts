// The products this build of `cryptoutil` contains. Each product issue adds its definition here;
// names listed in PLANNED_PRODUCTS but not yet built answer with a clear message instead of an
// unknown-command error.
import { caProduct } from '@cryptoutil/ca';
import { joseProduct } from '@cryptoutil/jose';
import { kmsProduct } from '@cryptoutil/kms';
import type { AnyProductDefinition } from '@cryptoutil/server';

export const PLANNED_PRODUCTS = ['kms', 'ca', 'jose', 'identity'] as const;

export const products: readonly AnyProductDefinition[] = [kmsProduct, caProduct, joseProduct];
