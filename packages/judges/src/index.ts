// @cryptoutil/judges: independent implementations the tests use as judges of our output.
export {
  DEBIAN_PYTHON,
  JWCRYPTO_SCRIPT,
  judge,
  judgeOk,
  jwcryptoVersion,
  type JoseJson,
  type JudgeAnswer,
  type JudgeCase,
  type JudgeRecipient,
  type JudgeSigner,
  type JwsSerialization,
} from './jwcrypto-judge.js';
