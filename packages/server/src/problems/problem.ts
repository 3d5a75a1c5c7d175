// RFC 9457 problem details: one `ProblemError` class and `defineProblem` to declare each kind
// once with a stable `type` URN, title and status. Only problems below 500 show their detail
// to clients; everything else is reduced to a generic 500 by the error handler.
export const PROBLEM_TYPE_PREFIX = 'urn:cryptoutil:problem:';

export interface ProblemDefinition {
  /** Stable URN, `urn:cryptoutil:problem:<slug>`. */
  readonly type: string;
  readonly title: string;
  readonly status: number;
}

export interface ProblemOptions {
  readonly detail?: string;
  /** Extension members (RFC 9457 §3.2), e.g. `errors` for validation failures. */
  readonly extensions?: Readonly<Record<string, unknown>>;
  /** Internal cause, logged and never sent. */
  readonly cause?: unknown;
  /** Extra response headers, e.g. `WWW-Authenticate` (RFC 6750 §3). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Show detail and extensions even for a 5xx (oidc-provider's `expose`): only for bodies built
   * from safe, fixed phrases, such as readiness naming its failing checks.
   */
  readonly expose?: boolean;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

export class ProblemError extends Error {
  readonly definition: ProblemDefinition;
  readonly detail: string | undefined;
  readonly extensions: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly expose: boolean;

  constructor(definition: ProblemDefinition, options: ProblemOptions = {}) {
    super(options.detail ?? definition.title, { cause: options.cause });
    this.name = 'ProblemError';
    this.definition = definition;
    this.detail = options.detail;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
    this.expose = options.expose ?? false;
  }

  get status(): number {
    return this.definition.status;
  }

  /** The body sent on the wire; 5xx problems carry detail or extensions only when exposed. */
  toBody(instance?: string): ProblemBody {
    const { type, title, status } = this.definition;
    const body: ProblemBody = { type, title, status };
    if (status < 500 || this.expose) {
      if (this.detail !== undefined) body.detail = this.detail;
      Object.assign(body, this.extensions);
    }
    if (instance !== undefined) body.instance = instance;
    return body;
  }
}

const registry = new Map<string, ProblemDefinition>();

/**
 * Declares a problem kind. `slug` becomes the URN suffix; declaring the same slug twice with a
 * different title or status is a programming error.
 */
export function defineProblem(slug: string, title: string, status: number): ProblemDefinition {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) throw new TypeError(`invalid problem slug: ${slug}`);
  if (!Number.isInteger(status) || status < 400 || status > 599) {
    throw new TypeError(`problem status must be 4xx or 5xx: ${status}`);
  }
  const type = PROBLEM_TYPE_PREFIX + slug;
  const existing = registry.get(type);
  if (existing) {
    if (existing.title !== title || existing.status !== status) {
      throw new TypeError(`problem ${slug} declared twice with different title or status`);
    }
    return existing;
  }
  const definition = Object.freeze({ type, title, status });
  registry.set(type, definition);
  return definition;
}

/** Every problem declared so far, sorted by type: the source of `docs/problems.md`. */
export function listProblems(): ProblemDefinition[] {
  return [...registry.values()].sort((a, b) => a.type.localeCompare(b.type));
}
