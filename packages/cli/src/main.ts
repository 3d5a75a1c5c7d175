#!/usr/bin/env node
// The `cryptoutil` command: the only file of the CLI that reads process.env and exits.
import { tuneGarbageCollector } from './gc-tuning.js';
import { runCli } from './program.js';

tuneGarbageCollector();

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  exit: (code) => process.exit(code),
  signals: process,
});
process.exitCode = code;
