// Mutual TLS against real Kafka: the shared cluster runs with --tls-client-auth. kchat connects with
// the CA kchat broker made (KCHAT_SSL_CA) and a client certificate; it refuses a broker whose CA it does
// not know; the broker refuses a client without a certificate or with one from another CA. kcat too.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cleanEnv, sharedCluster, type TestCluster} from '../support/cluster.js';
import {uniqueRoom} from '../support/chat-instance.js';
import {runCli, type CliResult} from '../support/run-cli.js';

let cluster: TestCluster;
const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-other-ca-'));

beforeAll(async () => {
	cluster = await sharedCluster();
});

afterAll(() => fs.rmSync(elsewhere, {recursive: true, force: true}));

const kchat = (args: string[], env: Record<string, string>): Promise<CliResult> => runCli(args, {env: {...cleanEnv(), ...env}, timeoutMs: 90_000});
const send = (room: string, env: Record<string, string>): Promise<CliResult> => kchat(['send', '--room', room, '--user', 'erin', '--brokers', cluster.brokers.join(','), '--timeout', '30', 'over TLS'], env);

/** kcat over TLS; `-m`: how long it may wait for metadata (long for the one that must work, on a busy machine). */
const kcat = (metadataSeconds: number, ...args: string[]) =>
	spawnSync('kcat', ['-b', cluster.brokers.join(','), '-X', 'security.protocol=ssl', '-X', `ssl.ca.location=${cluster.ca}`, '-m', String(metadataSeconds), ...args], {encoding: 'utf8', timeout: 90_000});
const hasKcat = !spawnSync('kcat', ['-V']).error;

describe('TLS with client certificates, on the cluster', () => {
	it('kchat connects with the CA and a certificate made by kchat broker client-cert, and reads back what it sent', async () => {
		const made = await kchat(['broker', 'client-cert', 'erin', '--data-dir', cluster.dataDir], {});
		expect(made.code, made.stderr).toBe(0);
		const cert = /^\s+certificate\s+(\S+)$/m.exec(made.stdout)?.[1];
		const key = /^\s+key\s+(\S+)$/m.exec(made.stdout)?.[1];
		expect(fs.existsSync(cert!)).toBe(true);
		expect(fs.statSync(key!).mode & 0o777).toBe(0o600); // the key is only for its owner
		const env = {KCHAT_SSL_CA: cluster.ca, KCHAT_SSL_CERT: cert!, KCHAT_SSL_KEY: key!};
		const room = uniqueRoom('tls');
		const sent = await send(room, env);
		expect(sent.code, sent.stderr).toBe(0);
		expect(sent.stdout).toMatch(new RegExp(`^delivered ${room} \\[\\d\\] @0$`, 'm'));
		const read = await kchat(['tail', '--room', room, '--from-beginning', '--exit-at-end', '--json', '--brokers', cluster.brokers.join(',')], env);
		expect(read.code, read.stderr).toBe(0);
		expect(JSON.parse(read.stdout.trim()).text).toBe('over TLS');
	});

	it('refuses a broker whose CA it was not given (certificates are verified by default)', async () => {
		const {KCHAT_SSL_CERT, KCHAT_SSL_KEY} = cluster.env('erin');
		const run = await send(uniqueRoom('tls'), {KCHAT_SSL: '1', KCHAT_SSL_CERT: KCHAT_SSL_CERT!, KCHAT_SSL_KEY: KCHAT_SSL_KEY!});
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(/self-signed certificate in certificate chain: the broker's TLS certificate is not trusted; .*KCHAT_SSL_CA/);
	});

	it('without a client certificate the broker refuses kchat, and kchat says what to set', async () => {
		const run = await send(uniqueRoom('tls'), {KCHAT_SSL_CA: cluster.ca});
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(/the broker asks for a client certificate \(mutual TLS\): .*KCHAT_SSL_CERT and KCHAT_SSL_KEY/);
	});

	it('a client certificate from another CA is refused by the broker', async () => {
		const openssl = (...args: string[]) => expect(spawnSync('openssl', args, {cwd: elsewhere, encoding: 'utf8'}).status).toBe(0);
		openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'self.key', '-out', 'self.pem', '-days', '1', '-subj', '/CN=erin');
		const run = await send(uniqueRoom('tls'), {KCHAT_SSL_CA: cluster.ca, KCHAT_SSL_CERT: path.join(elsewhere, 'self.pem'), KCHAT_SSL_KEY: path.join(elsewhere, 'self.key')});
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(/did not accept kchat's client certificate/);
	});

	it.skipIf(!hasKcat)('kcat lists the three brokers with the CA and a client certificate, and fails without the certificate', () => {
		const {KCHAT_SSL_CERT, KCHAT_SSL_KEY} = cluster.env('kcat-user');
		const ok = kcat(60, '-X', `ssl.certificate.location=${KCHAT_SSL_CERT}`, '-X', `ssl.key.location=${KCHAT_SSL_KEY}`, '-L');
		expect(ok.status, ok.stderr).toBe(0);
		expect(ok.stdout).toMatch(/ 3 brokers:/);
		for (const broker of cluster.brokers) expect(ok.stdout).toContain(`at ${broker}`);
		const refused = kcat(3, '-L');
		expect(refused.status).not.toBe(0);
	});
});
