// SASL PLAIN, the mechanism of many hosted Kafka services: a local broker whose SASL listener offers PLAIN
// beside SCRAM (Kafka's own PlainLoginModule and its user list), and the built kchat logging in with it,
// from the environment and from the config file, with a right and a wrong password.
import {randomBytes} from 'node:crypto';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {freePort, startBroker, stopBroker, type StartResult} from '../../source/broker/index.js';
import {clusterProbe as probe} from '../../source/kafka/cluster-probe.js';
import {uniqueRoom} from '../support/chat-instance.js';
import {runCli, type CliResult} from '../support/run-cli.js';

const hasJava = !spawnSync('java', ['-version']).error;
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-plain-home-'));
const dataDir = path.join(home, 'kafka-plain');
const paulaPassword = `paula-${randomBytes(9).toString('base64url')}`;
let broker: StartResult | undefined;

function kchat(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
	return runCli(args, {env: {KCHAT_HOME: home, KCHAT_BROKERS: broker?.bootstrap ?? '', ...env}, timeoutMs: 60_000});
}

/** kchat warns about PLAIN without TLS once, on stderr, before anything else. */
const WARNING = 'kchat: WARNING: SASL PLAIN without TLS: the password crosses the network in clear text (use SCRAM, or TLS with KCHAT_SSL=1)\n';

const plainEnv = (password = paulaPassword) => ({KCHAT_SASL_MECHANISM: 'plain', KCHAT_SASL_USERNAME: 'paula', KCHAT_SASL_PASSWORD: password});

beforeAll(async () => {
	if (!hasJava) return;
	const jaas = `org.apache.kafka.common.security.plain.PlainLoginModule required user_paula="${paulaPassword}";`;
	broker = await startBroker({
		probe,
		dataDir,
		port: await freePort(),
		heap: '384m',
		// A SCRAM user is needed to format a SASL broker; PLAIN's users live in its JAAS entry.
		saslScram: {users: [{name: 'scram-only', password: randomBytes(9).toString('hex')}]},
		extraProperties: {
			'sasl.enabled.mechanisms': 'SCRAM-SHA-256,SCRAM-SHA-512,PLAIN',
			'listener.name.sasl_plaintext.plain.sasl.jaas.config': jaas,
		},
	});
}, 180_000);

afterAll(async () => {
	if (broker) await stopBroker(dataDir, undefined, {graceMs: 15_000}).catch(() => undefined);
	fs.rmSync(home, {recursive: true, force: true});
});

describe.skipIf(!hasJava)('a SASL PLAIN login', () => {
	it('from the environment: creates a room, sends, and reads back what it sent', async () => {
		const room = uniqueRoom('plain');
		const created = await kchat(['rooms', 'create', room, '--partitions', '1'], plainEnv());
		expect(created.stderr).toBe(WARNING);
		expect(created.code).toBe(0);
		const sent = await kchat(['send', '--room', room, '--user', 'paula', 'hello over PLAIN'], plainEnv());
		expect(sent.stderr).toBe(WARNING);
		expect(sent.stdout).toBe(`delivered ${room} [0] @0\n`);
		const read = await kchat(['tail', '--room', room, '--from-beginning', '--exit-at-end', '--json'], plainEnv());
		expect(read.code, read.stderr).toBe(0);
		expect(read.stdout.trim().split('\n').map(line => (JSON.parse(line) as {user: string; text: string}))).toMatchObject([{user: 'paula', text: 'hello over PLAIN'}]);
	});

	it('from the config file, the same', async () => {
		// A home of its own: the config file is <KCHAT_HOME>/.config/config.json.
		const configHome = fs.mkdtempSync(path.join(home, 'config-home-'));
		fs.mkdirSync(path.join(configHome, '.config'));
		const login = {sasl: {mechanism: 'plain', username: 'paula', password: paulaPassword}};
		fs.writeFileSync(path.join(configHome, '.config', 'config.json'), JSON.stringify(login), {mode: 0o600});
		const rooms = await kchat(['rooms', '--json'], {KCHAT_HOME: configHome});
		expect(rooms.stderr).toBe(WARNING);
		expect(rooms.code).toBe(0);
		expect(Array.isArray(JSON.parse(rooms.stdout))).toBe(true);
	});

	it('turns a wrong password away with the mechanism named, exit 1, and never prints it', async () => {
		const wrong = `wrong-${randomBytes(6).toString('hex')}`;
		const run = await kchat(['rooms'], plainEnv(wrong));
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(/^kchat: WARNING: SASL PLAIN without TLS.*\nkchat rooms: authentication failed for user paula \(PLAIN\): check KCHAT_SASL_USERNAME\/PASSWORD or the config file/);
		expect(run.stdout + run.stderr).not.toContain(wrong);
	});
});
