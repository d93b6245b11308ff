#!/usr/bin/env node
// `npx vigil …`: Vigil's command line for on-call staff (README "The CLI"). Everything is in runVigil.
import { runVigil } from './runVigil.js';

process.exitCode = await runVigil(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
