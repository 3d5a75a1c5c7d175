// TlsConfigError: the one error this package throws for bad TLS configuration or material. Its
// message names the config key path (`tls.keyFile: file not found: /x`) so an operator can fix
// the right setting, and it never carries key material: callers build messages from paths and
// facts, never from file contents or library error text that might echo them.

export class TlsConfigError extends Error {
  override readonly name = 'TlsConfigError';
  /** The full config key path, e.g. `tls.keyFile`. */
  readonly key: string;

  constructor(key: string, problem: string) {
    super(`${key}: ${problem}`);
    this.key = key;
  }
}
