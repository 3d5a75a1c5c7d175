// Problem details (RFC 9457) for every product of the suite.
export { problems } from './catalog.js';
export {
  PROBLEM_TYPE_PREFIX,
  ProblemError,
  defineProblem,
  listProblems,
  type ProblemBody,
  type ProblemDefinition,
  type ProblemOptions,
} from './problem.js';
