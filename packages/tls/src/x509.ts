// The single entry point to @peculiar/x509: loads the reflect polyfill its dependency injection
// needs (tsyringe) before the library evaluates, and binds it to Node's WebCrypto so no module
// of this package depends on global provider state being set elsewhere.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(globalThis.crypto);

export { x509 };
