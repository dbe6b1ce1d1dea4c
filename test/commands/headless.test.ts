import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import {Kafka, logLevel} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../support/run-cli.js';
import {uniqueRoom} from '../support/chat-instance.js';
import {testBrokers} from '../support/test-brokers.js';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-home-'));
const env = {KCHAT_HOME: home, KCHAT_BROKERS: testBrokers().join(',')};
const kafka = new Kafka({clientId: 'test-headless', brokers: testBrokers(), logLevel: logLevel.NOTHING});
const producer = kafka.producer({allowAutoTopicCreation: false});

beforeAll(() => producer.connect());
afterAll(async () => {
	await producer.disconnect();
	fs.rmSync(home, {recursive: true, force: true});
});

describe('kchat send, tail and rooms', () => {
	it('sends TEXT and each stdin line with a delivery report, and tail prints them', async () => {
		const room = uniqueRoom('cli');
		const one = await runCli(['send', '--room', room, '--user', 'alice', 'Hello,', 'Kafka', 'Chat!'], {env});
		expect(one.stderr).toBe('');
		expect(one.code).toBe(0);
		expect(one.stdout).toMatch(new RegExp(`^delivered ${room} \\[[0-2]\\] @\\d+\\n$`));
		const lines = await runCli(['send', '--room', room, '--user', 'bob'], {env, input: 'one\ntwo\nthree\n'});
		expect(lines.code).toBe(0);
		expect(lines.stdout.trim().split('\n')).toHaveLength(3);

		const tail = await runCli(['tail', '--room', room, '--from-beginning', '--exit-at-end'], {env});
		expect(tail.code).toBe(0);
		const out = tail.stdout.trim().split('\n');
		expect(out).toHaveLength(4);
		expect(out[0]).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d ${room} <alice> Hello, Kafka Chat!$`));
		expect(out.slice(1).map(l => l.replace(/^\S+ \S+ /, ''))).toEqual(['<bob> one', '<bob> two', '<bob> three']);
	});

	it('tail --json prints one object per line, sanitised, foreign records included', async () => {
		const room = uniqueRoom('json');
		await runCli(['rooms', 'create', room, '--partitions', '2'], {env});
		await producer.send({topic: room, messages: [{value: 'plain \x1b]0;pwned\x07 text'}]});
		const tail = await runCli(['tail', '--room', room, '--last', '5', '--exit-at-end', '--json'], {env});
		expect(tail.code).toBe(0);
		const [record] = tail.stdout.trim().split('\n').map(l => JSON.parse(l) as Record<string, unknown>);
		expect(Object.keys(record!).sort()).toEqual(['id', 'offset', 'partition', 'room', 'text', 'timestamp', 'type', 'user', 'foreign', 'duplicateId'].sort());
		expect(record).toMatchObject({room, user: '?', type: 'message', foreign: true, duplicateId: false});
		expect(String(record!['text'])).not.toContain('\x1b');
		expect(String(record!['text'])).not.toContain('\x07');
		expect(tail.stdout).not.toContain('\x1b');
	});

	it('lists, creates and deletes rooms', async () => {
		const room = uniqueRoom('admin');
		const created = await runCli(['rooms', 'create', room, '--partitions', '4'], {env});
		expect(created).toMatchObject({code: 0, stdout: `created ${room} with 4 partitions\n`});
		await runCli(['send', '--room', room, '--user', 'alice', 'hi'], {env});
		const list = await runCli(['rooms', '--json'], {env});
		const rooms = JSON.parse(list.stdout) as {name: string; partitions: number; messages: number}[];
		expect(rooms.find(r => r.name === room)).toEqual({name: room, partitions: 4, messages: 1});
		expect(rooms.some(r => r.name.startsWith('kchat.') || r.name.startsWith('__'))).toBe(false);
		const table = await runCli(['rooms'], {env});
		expect(table.stdout).toMatch(new RegExp(`${room}\\s+4\\s+1`));
		expect((await runCli(['rooms', 'delete', room], {env})).code).toBe(2);
		expect(await runCli(['rooms', 'delete', room, '--yes'], {env})).toMatchObject({code: 0, stdout: `deleted ${room}\n`});
	});

	it('refuses bad input with a specific message and exit code 2', async () => {
		const badFlag = await runCli(['send', '--room', 'r', '--bogus'], {env});
		expect(badFlag.code).toBe(2);
		expect(badFlag.stderr).toMatch(/bogus/);
		const badRoom = await runCli(['send', '--room', 'no spaces', 'hi'], {env});
		expect(badRoom.code).toBe(2);
		expect(badRoom.stderr).toMatch(/room name "no spaces" is not valid: ' ' is not allowed/);
		const badNick = await runCli(['send', '--room', 'r', '--user', 'bad nick!', 'hi'], {env});
		expect(badNick.code).toBe(2);
		expect(badNick.stderr).toMatch(/nick/);
		const unknown = await runCli(['frobnicate'], {env});
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
		expect((await runCli(['tail'], {env})).stderr).toMatch(/missing --room/);
	});

	it('send keeps retrying an unreachable broker until --timeout, then says what was not delivered', async () => {
		const result = await runCli(['send', '--room', 'lost-room', '--user', 'alice', '--timeout', '2', 'lost words'], {env: {...env, KCHAT_BROKERS: '127.0.0.1:1'}});
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/not delivered/);
		expect(result.stderr).toContain('lost words');
	});
});
