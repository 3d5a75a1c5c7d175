// The loader's one error: every failing key path with its message, so an operator fixes all of
// them at once. Messages never include the value of a secret field.
export interface ConfigIssue {
  /** Dotted key path (`public.port`), or the source (`config file x.yaml`). */
  readonly path: string;
  readonly message: string;
}

export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(
      `invalid configuration:\n${issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
