// Problems of the barrier, shared by every product: sealed means 503 on every crypto call.
import { defineProblem } from '../problems/index.js';

export const barrierProblems = {
  sealed: defineProblem('barrier-sealed', 'Barrier sealed', 503),
  invalidShare: defineProblem('barrier-invalid-share', 'Invalid unseal share', 400),
  conflict: defineProblem('barrier-conflict', 'Barrier operation not possible in this state', 409),
} as const;
