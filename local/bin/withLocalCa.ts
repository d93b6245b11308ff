import { spawn } from 'node:child_process';
import { ensureCertificates } from '../cloud/tls/ensureCertificates.js';
import { certificatesDir } from '../paths.js';

/**
 * Runs a command with the local cloud's CA trusted. Node reads NODE_EXTRA_CA_CERTS only at start-up, so
 * the CA must exist, and the variable be set, before the process that talks to the emulators starts.
 * Usage: node dist/local/bin/withLocalCa.js <command> [args…]
 */
const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: withLocalCa <command> [args…]');
  process.exit(2);
}
const { caFile } = await ensureCertificates(certificatesDir);
const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile } });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
