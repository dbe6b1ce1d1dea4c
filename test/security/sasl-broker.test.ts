// A second local broker with a SASL/SCRAM listener (`kchat broker start --sasl-scram`), and the built
// kchat logging in to it: right and wrong credentials, both SCRAM mechanisms, and a canary password
// that must show up in no output, no log file and no file of the broker.
import {randomBytes} from 'node:crypto';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {freePort, startBroker, stopBroker, type StartResult} from '../../source/broker/index.js';
import {brokerPaths} from '../../source/broker/broker-paths.js';
import {clusterProbe as probe} from '../../source/kafka/cluster-probe.js';
import {ChatService, NickError} from '../../source/kafka/chat-service.js';
import {nullLogger} from '../../source/kafka/log-file.js';
import {createChatStore} from '../../source/store/chat-store.js';
import {waitForStore, uniqueRoom} from '../support/chat-instance.js';
import {runCli, type CliResult} from '../support/run-cli.js';

const hasJava = !spawnSync('java', ['-version']).error;
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-sasl-home-'));
const dataDir = path.join(home, 'kafka-sasl');
const alicePassword = `alice-${randomBytes(12).toString('base64url')},with=[odd]"chars`;
const canary = `CANARY-${randomBytes(12).toString('hex')}`;
let broker: StartResult | undefined;

/** kchat as a user with these settings; nothing security-related inherited from the developer's environment. */
function kchat(args: string[], sasl: {mechanism?: string; username?: string; password?: string} = {}, options: {timeoutMs?: number} = {}): Promise<CliResult> {
	return runCli(args, {
		env: {
			KCHAT_HOME: home,
			KCHAT_BROKERS: broker?.bootstrap ?? '',
			KCHAT_SASL_MECHANISM: sasl.mechanism,
			KCHAT_SASL_USERNAME: sasl.username,
			KCHAT_SASL_PASSWORD: sasl.password,
		},
		timeoutMs: options.timeoutMs ?? 60_000,
	});
}

const alice = (mechanism = 'scram-sha-256') => ({mechanism, username: 'alice', password: alicePassword});

beforeAll(async () => {
	if (!hasJava) return;
	broker = await startBroker({
		probe,
		dataDir,
		port: await freePort(),
		heap: '512m',
		saslScram: {
			users: [
				{name: 'alice', password: alicePassword},
				{name: 'carol', password: canary},
			],
		},
	});
}, 180_000);

afterAll(async () => {
	if (broker) await stopBroker(dataDir, undefined, {graceMs: 15_000}).catch(() => undefined);
	fs.rmSync(home, {recursive: true, force: true});
});

describe.skipIf(!hasJava)('a SASL/SCRAM broker', () => {
	it('says it is a SASL listener, and keeps its own password and config private', async () => {
		expect(broker?.sasl).toEqual({protocol: 'SASL_PLAINTEXT', mechanisms: ['SCRAM-SHA-256', 'SCRAM-SHA-512'], users: ['alice', 'carol']});
		const status = await kchat(['broker', 'status', '--data-dir', dataDir]);
		expect(status.code).toBe(0);
		expect(status.stdout).toMatch(/port \d+ \(SASL_PLAINTEXT listener: SCRAM-SHA-256, SCRAM-SHA-512; users alice, carol\)/);
		const paths = brokerPaths(dataDir);
		expect(fs.statSync(paths.interBrokerSecret).mode & 0o777).toBe(0o600);
		expect(fs.statSync(paths.serverProperties).mode & 0o777).toBe(0o600);
		const properties = fs.readFileSync(paths.serverProperties, 'utf8');
		expect(properties).toMatch(/^listeners=SASL_PLAINTEXT:\/\/127\.0\.0\.1:\d+,CONTROLLER:\/\/127\.0\.0\.1:\d+$/m);
		expect(properties).toMatch(/^sasl\.mechanism\.inter\.broker\.protocol=SCRAM-SHA-256$/m);
	});

	it.each(['scram-sha-256', 'SCRAM-SHA-512'])('lets alice in with %s: rooms, send, rooms', async mechanism => {
		const room = uniqueRoom('sasl');
		const created = await kchat(['rooms', 'create', room, '--partitions', '1'], alice(mechanism));
		expect(created.stderr).toBe('');
		expect(created.code).toBe(0);
		const sent = await kchat(['send', '--room', room, '--user', 'alice', 'hello over SCRAM'], alice(mechanism));
		expect(sent.stderr).toBe('');
		expect(sent.stdout).toMatch(new RegExp(`^delivered ${room} \\[0\\] @0\\n$`));
		const rooms = await kchat(['rooms', '--json'], alice(mechanism));
		expect(rooms.code).toBe(0);
		expect(JSON.parse(rooms.stdout)).toContainEqual({name: room, partitions: 1, messages: 1});
	});

	it('turns a wrong password away with a clear message, exit 1', async () => {
		const run = await kchat(['rooms'], {...alice(), password: 'not-the-password'});
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(/^kchat rooms: authentication failed for user alice \(SCRAM-SHA-256\): check KCHAT_SASL_USERNAME\/PASSWORD or the config file/);
		expect(run.stdout).toBe('');
	});

	it('says so when a client brings no login, or a mechanism the broker does not offer', async () => {
		const none = await kchat(['rooms']);
		expect(none.code).toBe(1);
		expect(none.stderr).toMatch(/the broker closed the connection.*SASL or TLS/);
		const plain = await kchat(['rooms'], {...alice(), mechanism: 'plain'});
		expect(plain.code).toBe(1);
		expect(plain.stderr).toMatch(/the broker does not offer SASL PLAIN/);
	});

	it("shows the failed login in the chat app's status line", async () => {
		const brokers = [broker!.bootstrap];
		const store = createChatStore({nick: 'mallory', brokers});
		const service = new ChatService({brokers, nick: 'mallory', store, logger: nullLogger, sasl: {mechanism: 'scram-sha-512', username: 'mallory', password: 'guess-1234'}});
		void service.start().catch(() => undefined);
		try {
			await waitForStore(store, s => /authentication failed/.test(s.connection.reason ?? ''), 15_000, 'an authentication error in the status');
			expect(store.getState().connection.reason).toMatch(/authentication failed for user mallory \(SCRAM-SHA-512\): check KCHAT_SASL_USERNAME\/PASSWORD or the config file/);
			expect(store.getState().connection.state).not.toBe('online');
		} finally {
			await service.stop();
		}
	});

	it('takes the login as the nick: another nick is refused with a clear message unless the config file maps it (issue 11.8)', async () => {
		const room = uniqueRoom('sasl-nick');
		// No --user: the nick is the login's name, not $USER (kchat-test in the clean environment).
		const own = await kchat(['send', '--room', room, 'hello as myself'], alice());
		expect(own.stderr).toBe('');
		expect(own.code).toBe(0);
		const posing = await kchat(['send', '--room', room, '--user', 'carol', 'hello as carol'], alice());
		expect(posing.code).toBe(1);
		expect(posing.stderr).toMatch(/nick "carol" is not yours: you are logged in \(SASL\) as "alice", and it may use "alice"; to use another, map it in the config file: \{"nicks": \{"alice": \["carol"\]\}\}/);
		// The app is refused before it opens.
		const app = await kchat(['--user', 'carol', '--room', room, '--no-alt-screen'], alice());
		expect(app.code).toBe(1);
		expect(app.stderr).toMatch(/nick "carol" is not yours/);
		// A nick the config file maps to the login is allowed.
		const mapHome = fs.mkdtempSync(path.join(home, 'mapped-'));
		fs.mkdirSync(path.join(mapHome, '.config'), {recursive: true});
		fs.writeFileSync(path.join(mapHome, '.config', 'config.json'), JSON.stringify({nicks: {alice: ['alice-phone']}}));
		const mapped = await runCli(['send', '--room', room, '--user', 'alice-phone', 'hello from my phone'], {
			env: {KCHAT_HOME: mapHome, KCHAT_BROKERS: broker!.bootstrap, KCHAT_SASL_MECHANISM: 'scram-sha-256', KCHAT_SASL_USERNAME: 'alice', KCHAT_SASL_PASSWORD: alicePassword},
		});
		expect(mapped.stderr).toBe('');
		expect(mapped.code).toBe(0);
		const tail = await kchat(['tail', '--room', room, '--from-beginning', '--exit-at-end'], alice());
		expect(tail.stdout.split('\n').filter(Boolean).map(l => l.replace(/^\S+ \S+ /, ''))).toEqual(['<alice> hello as myself', '<alice-phone> hello from my phone']);
	});

	it('refuses /nick to a nick the login may not use', async () => {
		const brokers = [broker!.bootstrap];
		const store = createChatStore({nick: 'alice', brokers});
		const sasl = {mechanism: 'scram-sha-256' as const, username: 'alice', password: alicePassword};
		const service = new ChatService({brokers, nick: 'alice', store, logger: nullLogger, sasl, login: {user: 'alice', nicks: ['alice-phone']}});
		try {
			expect(() => service.setNick('carol')).toThrow(NickError);
			expect(() => service.setNick('carol')).toThrow(/nick "carol" is not yours: you are logged in \(SASL\) as "alice", and it may use "alice", "alice-phone"/);
			expect(store.getState().nick).toBe('alice');
			service.setNick('alice-phone');
			expect(store.getState().nick).toBe('alice-phone');
			expect(() => new ChatService({brokers, nick: 'carol', store: createChatStore({nick: 'carol', brokers}), logger: nullLogger, sasl, login: {user: 'alice'}})).toThrow(/nick "carol" is not yours/);
		} finally {
			await service.stop();
		}
	});

	it('never shows the password: a canary in no output, no log file and no file of the broker', async () => {
		const logDir = fs.mkdtempSync(path.join(home, 'logs-'));
		const log = (name: string): string[] => ['--verbose', '--log-file', path.join(logDir, `${name}.log`)];
		const room = uniqueRoom('canary');
		const runs: CliResult[] = [];
		// Failing: a user that does not exist, with the canary as its password.
		const wrong = {mechanism: 'scram-sha-256', username: 'nobody', password: canary};
		runs.push(await kchat(['rooms', ...log('rooms-wrong')], wrong));
		expect(runs.at(-1)?.stderr).toMatch(/authentication failed for user nobody/);
		runs.push(await kchat(['send', '--room', room, '--user', 'nobody', '--timeout', '3', 'x', ...log('send-wrong')], wrong));
		expect(runs.at(-1)?.code).toBe(1);
		// Working: carol, whose real password is the canary.
		const carol = {mechanism: 'scram-sha-512', username: 'carol', password: canary};
		runs.push(await kchat(['rooms', 'create', room, ...log('rooms-right')], carol));
		expect(runs.at(-1)?.code, runs.at(-1)?.stderr).toBe(0);
		runs.push(await kchat(['send', '--room', room, '--user', 'carol', 'canary test', ...log('send-right')], carol));
		expect(runs.at(-1)?.stdout).toMatch(/^delivered /);
		runs.push(await kchat(['tail', '--room', room, '--from-beginning', '--exit-at-end', ...log('tail-right')], carol));
		expect(runs.at(-1)?.stdout, `exit ${runs.at(-1)?.code}: ${runs.at(-1)?.stderr}`).toMatch(/<carol> canary test/);

		for (const run of runs) {
			expect(run.stdout).not.toContain(canary);
			expect(run.stderr).not.toContain(canary);
		}
		const logs = fs.readdirSync(logDir).map(name => path.join(logDir, name));
		expect(logs).toHaveLength(5);
		for (const file of logs) {
			const text = fs.readFileSync(file, 'utf8');
			expect(text.length, file).toBeGreaterThan(0);
			expect(text, file).not.toContain(canary);
		}
		expect(fs.readFileSync(path.join(logDir, 'rooms-wrong.log'), 'utf8')).toMatch(/DEBUG \[kafkajs/); // verbose really logged
		// Kafka got a salted hash at format time, never the password: it is in none of the broker's files either.
		for (const file of filesUnder(dataDir)) expect(fs.readFileSync(file).includes(canary), file).toBe(false);
	});

	it('refuses a user that was not there when the storage was formatted', async () => {
		const run = await runCli(['broker', 'start', '--sasl-scram', '--sasl-user', 'dave', '--data-dir', dataDir], {
			env: {KCHAT_HOME: home, KCHAT_BROKER_SASL_PASSWORD: 'dave-password'},
		});
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(/SASL user dave cannot be added to .*: SCRAM users are added only when the storage is formatted \(this one has alice, carol\)/);
		const again = await runCli(['broker', 'start', '--sasl-scram', '--data-dir', dataDir], {env: {KCHAT_HOME: home}});
		expect(again.code).toBe(0);
		expect(again.stdout).toMatch(/already running.*SASL_PLAINTEXT listener/);
	});
});

describe('kchat broker start --sasl-scram (usage)', () => {
	it('takes the password only from KCHAT_BROKER_SASL_PASSWORD, exit 2 without it', async () => {
		const run = await runCli(['broker', 'start', '--sasl-scram', '--sasl-user', 'alice', '--data-dir', path.join(home, 'never')], {
			env: {KCHAT_HOME: home, KCHAT_BROKER_SASL_PASSWORD: ''},
		});
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(/--sasl-user alice needs its password in the environment variable KCHAT_BROKER_SASL_PASSWORD/);
		expect(fs.existsSync(path.join(home, 'never'))).toBe(false);
	});

	it('wants --sasl-scram with --sasl-user, and a valid name', async () => {
		const alone = await runCli(['broker', 'start', '--sasl-user', 'alice'], {env: {KCHAT_HOME: home}});
		expect(alone.code).toBe(2);
		expect(alone.stderr).toMatch(/--sasl-user needs --sasl-scram/);
		const bad = await runCli(['broker', 'start', '--sasl-scram', '--sasl-user', 'a,b'], {env: {KCHAT_HOME: home, KCHAT_BROKER_SASL_PASSWORD: 'x'}});
		expect(bad.code).toBe(2);
		expect(bad.stderr).toMatch(/SASL user name "a,b" is not valid/);
	});

	it.skipIf(!hasJava)('will not turn a data dir formatted without SASL into a SASL one', async () => {
		const plain = path.join(home, 'plain-formatted');
		fs.mkdirSync(path.join(plain, 'data'), {recursive: true});
		fs.writeFileSync(path.join(plain, 'data', 'meta.properties'), 'cluster.id=AAAAAAAAAAAAAAAAAAAAAB\n');
		await expect(startBroker({probe, dataDir: plain, port: await freePort(), saslScram: {users: [{name: 'alice', password: 'x-password'}]}})).rejects.toThrow(/formatted without SASL/);
		const fresh = path.join(home, 'fresh-no-users');
		await expect(startBroker({probe, dataDir: fresh, port: await freePort(), saslScram: {}})).rejects.toThrow(/needs at least one user/);
	});
});

function filesUnder(dir: string): string[] {
	return fs.readdirSync(dir, {withFileTypes: true}).flatMap(entry => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return filesUnder(full);
		return entry.isFile() && fs.statSync(full).size < 64 * 1024 * 1024 ? [full] : [];
	});
}
