// A single broker with a TLS listener (`kchat broker start --tls`), no client certificates: kchat and
// kcat connect with the CA file kchat broker made and printed; without it they refuse the broker.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {freePort, startBroker, stopBroker, type StartResult} from '../../source/broker/index.js';
import {cacheDir} from '../../source/config/paths.js';
import {clusterProbe as probe} from '../../source/kafka/cluster-probe.js';
import {uniqueRoom} from '../support/chat-instance.js';
import {runCli, type CliResult} from '../support/run-cli.js';

const hasJava = !spawnSync('java', ['-version']).error;
const hasOpenssl = !spawnSync('openssl', ['version']).error;
const hasKcat = !spawnSync('kcat', ['-V']).error;
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-tls-broker-'));
const dataDir = path.join(home, 'kafka-tls');
let broker: StartResult | undefined;

beforeAll(async () => {
	if (hasJava && hasOpenssl) broker = await startBroker({probe, dataDir, port: await freePort(), heap: '384m', tls: {}});
}, 180_000);

afterAll(async () => {
	if (broker) await stopBroker(dataDir, undefined, {graceMs: 15_000}).catch(() => undefined);
	fs.rmSync(home, {recursive: true, force: true});
});

const kchat = (args: string[], env: Record<string, string>): Promise<CliResult> =>
	runCli(args, {
		env: {KCHAT_HOME: home, KCHAT_CACHE_DIR: cacheDir(), KCHAT_BROKERS: '', KCHAT_SSL: '', KCHAT_SSL_CA: '', KCHAT_SSL_CERT: '', KCHAT_SSL_KEY: '', KCHAT_SSL_INSECURE_SKIP_VERIFY: '', KCHAT_SASL_MECHANISM: '', KCHAT_SASL_USERNAME: '', KCHAT_SASL_PASSWORD: '', ...env},
		timeoutMs: 60_000,
	});

describe.skipIf(!hasJava || !hasOpenssl)('a broker with a TLS listener', () => {
	it('says so, and where the CA is', async () => {
		expect(broker?.protocol).toBe('SSL');
		expect(broker?.tls?.caFile).toBe(path.join(fs.realpathSync(dataDir), 'tls', 'ca.pem'));
		const status = await kchat(['broker', 'status', '--data-dir', dataDir], {});
		expect(status.stdout).toMatch(/port \d+ \(SSL listener; CA .*ca\.pem\)/);
	});

	it('kchat connects with the CA only (KCHAT_SSL_CA), and refuses the broker without it', async () => {
		const room = uniqueRoom('tls');
		const sent = await kchat(['send', '--room', room, '--user', 'alice', '--brokers', broker!.bootstrap, 'hello over TLS'], {KCHAT_SSL_CA: broker!.tls!.caFile});
		expect(sent.code, sent.stderr).toBe(0);
		expect(sent.stdout).toMatch(new RegExp(`^delivered ${room} \\[\\d\\] @0$`, 'm'));
		const refused = await kchat(['send', '--room', room, '--user', 'alice', '--brokers', broker!.bootstrap, 'x'], {KCHAT_SSL: '1'});
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/the broker's TLS certificate is not trusted/);
	});

	it.skipIf(!hasKcat)('kcat reads it with ssl.ca.location', () => {
		const run = spawnSync('kcat', ['-b', broker!.bootstrap, '-X', 'security.protocol=ssl', '-X', `ssl.ca.location=${broker!.tls!.caFile}`, '-m', '30', '-L'], {encoding: 'utf8', timeout: 60_000});
		expect(run.status, run.stderr).toBe(0);
		expect(run.stdout).toContain(`ssl://${broker!.bootstrap}/1`);
	});
});
