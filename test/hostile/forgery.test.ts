import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {cleanup} from 'ink-testing-library';
import {Kafka, logLevel} from 'kafkajs';
import type {ChatMessage} from '../../source/chat/message.js';
import {instance, stopAll, uniqueRoom, waitForStore, type Instance} from '../support/chat-instance.js';
import {testBrokers} from '../support/test-brokers.js';
import {waitFor} from '../ui/support/wait-for.js';
import {paneRows, paneText, renderLiveApp} from './support/app-harness.js';
import {runKchat, type CliBytes} from './support/run-cli-bytes.js';

// Issue 11: forgery on the real broker. (7) Records that reuse a real message's kchat-id, written with
// raw kafkajs after it into every partition, must never replace it: not for fresh joins (whatever order
// the partitions arrive in), not in `kchat tail`; a byte-for-byte repeat (the outbox after a crash) is
// shown once. (8) Records that pose as another nick, or that are not kchat's, are marked; a system
// line shows kchat's own words, never the record's text.

const brokers = testBrokers();
const kafka = new Kafka({clientId: 'forgery-script', brokers, logLevel: logLevel.NOTHING});
const producer = kafka.producer({allowAutoTopicCreation: false});
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-forgery-home-'));
const env = {KCHAT_HOME: home, KCHAT_BROKERS: brokers.join(',')};

const REAL = 'the real message from alice';
const FRESH_JOINS = 12;

type Figures = {written: number; shown: number; shownMarked: number; replaced: number};
const figures: Record<string, Figures> = {};

const headers = (id: string, user: string, type = 'message'): Record<string, string> => ({
	'kchat-id': id,
	'kchat-user': user,
	'kchat-type': type,
	'kchat-sent-at': String(Date.now()),
});

/** A room's lines from Kafka, notices left out. */
const linesOf = (i: Instance, room: string): ChatMessage[] => i.store.getState().rooms[room]?.log.slice().filter(m => m.type !== 'notice' && m.state === 'delivered') ?? [];

const jsonLines = (run: CliBytes): Array<Record<string, unknown>> =>
	run.stdout
		.toString('utf8')
		.trim()
		.split('\n')
		.filter(Boolean)
		.map(l => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
	await producer.connect();
});

afterAll(async () => {
	cleanup();
	await stopAll();
	await producer.disconnect();
	fs.rmSync(home, {recursive: true, force: true});
	console.log(`forgery figures: ${JSON.stringify(figures)}`);
});

describe('a record that reuses a real message\'s kchat-id (issue 11.7)', () => {
	const room = uniqueRoom('forged-id');
	let alice: Instance;
	let realId: string;
	let realPartition: number;
	const forgeries: Array<{partition: number; text: string; key: string; user: string}> = [];

	beforeAll(async () => {
		alice = instance('alice', {announce: false});
		await alice.service.join(room);
		const d = await alice.service.send(room, REAL);
		realId = d.id;
		realPartition = d.partition;
		// After the real one, into every partition (its own too): other senders, alice's key with other
		// text, a key posing as alice; and one byte-for-byte repeat of alice's record, as the outbox sends
		// after a crash, which is the same message and must be shown once.
		for (let p = 0; p < 3; p++) {
			forgeries.push({partition: p, key: 'mallory', user: 'mallory', text: `FORGED by mallory in ${p}`});
			forgeries.push({partition: p, key: 'mallory', user: 'alice', text: `FORGED as alice in ${p}`});
		}
		forgeries.push({partition: realPartition, key: 'alice', user: 'alice', text: 'FORGED with alice\'s own key'});
		await producer.send({
			topic: room,
			acks: -1,
			messages: [
				...forgeries.map(f => ({partition: f.partition, key: f.key, value: f.text, headers: headers(realId, f.user)})),
				{partition: (realPartition + 1) % 3, key: 'alice', value: REAL, headers: headers(realId, 'alice')},
			],
		});
		figures['11.7 fresh joins'] = {written: 0, shown: 0, shownMarked: 0, replaced: 0};
	}, 60_000);

	it(`shows the real text under its id on each of ${FRESH_JOINS} fresh joins; each forgery once, marked, never instead`, async () => {
		const f = figures['11.7 fresh joins']!;
		for (let i = 0; i < FRESH_JOINS; i++) {
			const joiner = instance(`joiner${i}`, {announce: false});
			await joiner.service.join(room);
			const lines = linesOf(joiner, room);
			f.written += forgeries.length + 2;
			f.shown += lines.length;
			f.shownMarked += lines.filter(m => m.duplicateOf !== undefined).length;
			const holder = lines.find(m => m.id === realId);
			if (holder?.text !== REAL) f.replaced++;
			expect(holder, `join ${i}: the line with the id`).toMatchObject({text: REAL, user: 'alice', foreign: false});
			expect(holder?.duplicateOf).toBeUndefined();
			// The repeat is the same message: one line of it.
			expect(lines.filter(m => m.text === REAL)).toHaveLength(1);
			for (const forged of forgeries) {
				const shown = lines.filter(m => m.text === forged.text);
				expect(shown, `join ${i}: ${forged.text}`).toHaveLength(1);
				expect(shown[0]).toMatchObject({duplicateOf: realId, user: forged.user, partition: forged.partition});
				expect(shown[0]!.id).not.toBe(realId);
			}
			expect(lines).toHaveLength(forgeries.length + 1);
			await joiner.service.stop();
		}
		expect(f.replaced).toBe(0);
	}, 180_000);

	it('leaves the running client that wrote it with the real text under its id, the forgeries marked', async () => {
		await waitForStore(alice.store, () => forgeries.every(f => linesOf(alice, room).some(m => m.text === f.text)), 20_000, 'the forgeries at alice');
		const lines = linesOf(alice, room);
		expect(lines.find(m => m.id === realId)).toMatchObject({text: REAL, user: 'alice'});
		expect(lines.filter(m => m.text === REAL)).toHaveLength(1);
		expect(lines.filter(m => m.duplicateOf === realId)).toHaveLength(forgeries.length);
	});

	it('kchat tail --from-beginning --exit-at-end --json prints the real message under its id and each forgery marked, once', async () => {
		const run = await runKchat(['tail', '--room', room, '--from-beginning', '--exit-at-end', '--json'], {env});
		expect(run.code, run.stderr.toString()).toBe(0);
		const records = jsonLines(run);
		const withId = records.filter(r => r['id'] === realId);
		const real = withId.filter(r => r['text'] === REAL);
		expect(real).toHaveLength(1);
		expect(real[0]).toMatchObject({user: 'alice', foreign: false, duplicateId: false});
		// The first printed with the id is the real one: the forgeries come after it, each marked.
		expect(withId[0]).toBe(real[0]);
		for (const forged of forgeries) {
			const shown = records.filter(r => r['text'] === forged.text);
			expect(shown, forged.text).toHaveLength(1);
			expect(shown[0]).toMatchObject({id: realId, duplicateId: true, user: forged.user});
		}
		expect(records).toHaveLength(forgeries.length + 1);
		figures['11.7 tail --json'] = {written: forgeries.length + 2, shown: records.length, shownMarked: records.filter(r => r['duplicateId'] === true).length, replaced: real.length === 1 ? 0 : 1};
		const text = await runKchat(['tail', '--room', room, '--from-beginning', '--exit-at-end'], {env});
		const out = text.stdout.toString('utf8');
		expect(out).toContain(` ${room} <alice> ${REAL}\n`);
		expect(out.split('\n').filter(l => l.includes(REAL))).toHaveLength(1);
		for (const forged of forgeries) expect(out).toContain(`?<${forged.user}> [duplicate id] ${forged.text}\n`);
	}, 60_000);

	it('the app of a fresh join draws the real line as alice\'s and each forgery marked', async () => {
		const viewer = instance('viewer', {announce: false});
		await viewer.service.join(room);
		const app = await renderLiveApp(viewer.store, viewer.service, 160, 40);
		try {
			const rows = await waitFor(() => {
				const r = paneRows(app.frame());
				expect(r.some(row => row.endsWith(`<alice> ${REAL}`))).toBe(true);
				return r;
			}, 10_000);
			expect(rows.filter(r => r.includes(REAL))).toHaveLength(1);
			for (const forged of forgeries) expect(rows.some(r => r.endsWith(`?<${forged.user}> [duplicate id] ${forged.text}`)), forged.text).toBe(true);
		} finally {
			app.unmount();
		}
	}, 60_000);
});

describe('records that pose as someone, or are not kchat\'s (issue 11.8)', () => {
	const room = uniqueRoom('impersonation');
	let viewer: Instance;
	const LURE = 'SYSTEM: your session expired, re-enter your password at http://evil.example';
	const cases = [
		{name: 'key mallory, kchat-user alice', key: 'mallory', value: 'posing as alice (1)', headers: headers('pose-1', 'alice')},
		{name: 'key alice, no kchat headers', key: 'alice', value: 'posing as alice (2)', headers: {}},
		{name: 'key alice, kchat headers but no kchat-id', key: 'alice', value: 'posing as alice (3)', headers: {'kchat-user': 'alice', 'kchat-type': 'message', 'kchat-sent-at': '1'}},
		{name: 'an action, key mallory, kchat-user alice', key: 'mallory', value: 'waves (4)', headers: headers('pose-4', 'alice', 'action')},
	];
	const systemCases = [
		{name: 'kchat-type leave, free text, nothing else', key: 'alice', headers: {'kchat-type': 'leave'}, words: `alice left ${room}`, mark: '?'},
		{name: 'kchat-type join, key mallory, kchat-user alice', key: 'mallory', headers: headers('pose-j', 'alice', 'join'), words: `alice joined ${room}`, mark: '?'},
		// Shaped exactly as alice's kchat writes it: nothing a reader can check tells it apart (only ACLs
		// can stop it, see the README), but its text is still kchat's words, not the lure.
		{name: 'kchat-type quit, key and headers alice', key: 'alice', headers: headers('pose-q', 'alice', 'quit'), words: 'alice quit', mark: ''},
	];
	let tail: CliBytes;
	let tailJson: CliBytes;

	beforeAll(async () => {
		viewer = instance('viewer', {announce: false});
		await viewer.service.join(room);
		const alice = instance('alice', {announce: false});
		await alice.service.join(room);
		await alice.service.send(room, 'really alice');
		await producer.send({
			topic: room,
			acks: -1,
			messages: [...cases.map(c => ({key: c.key, value: c.value, headers: c.headers})), ...systemCases.map(c => ({key: c.key, value: LURE, headers: c.headers}))],
		});
		await waitForStore(viewer.store, () => linesOf(viewer, room).length >= 1 + cases.length + systemCases.length, 20_000, 'every record at the viewer');
		[tail, tailJson] = await Promise.all([
			runKchat(['tail', '--room', room, '--from-beginning', '--exit-at-end'], {env}),
			runKchat(['tail', '--room', room, '--from-beginning', '--exit-at-end', '--json'], {env}),
		]);
	}, 60_000);

	it('holds each as what it claims, marked foreign; alice\'s own message unmarked', () => {
		const lines = linesOf(viewer, room);
		expect(lines.find(m => m.text === 'really alice')).toMatchObject({user: 'alice', foreign: false});
		for (const c of cases) expect(lines.find(m => m.text === c.value), c.name).toMatchObject({user: 'alice', foreign: true});
		figures['11.8 store'] = {written: cases.length + systemCases.length + 1, shown: lines.length, shownMarked: lines.filter(m => m.foreign).length, replaced: 0};
	});

	it('shows system lines in kchat\'s words with the nick, never the record\'s text, and marks the unverified ones', () => {
		const lines = linesOf(viewer, room);
		for (const c of systemCases) {
			const line = lines.find(m => m.text === c.words);
			expect(line, c.name).toBeDefined();
			expect(line!.foreign, c.name).toBe(c.mark === '?');
		}
		expect(lines.some(m => m.text.includes('password'))).toBe(false);
	});

	it('marks them in the message pane: ?<alice>, * ?alice, -- ?alice left; the lure nowhere', async () => {
		const app = await renderLiveApp(viewer.store, viewer.service, 160, 40);
		try {
			const text = await waitFor(() => {
				const t = paneText(app.frame());
				expect(t).toContain('really alice');
				return t;
			}, 10_000);
			const rows = paneRows(app.frame());
			expect(rows.some(r => /^\d\d:\d\d:\d\d <alice> really alice$/.test(r))).toBe(true);
			for (const c of cases.filter(x => x.headers['kchat-type'] !== 'action')) expect(rows.some(r => r.endsWith(`?<alice> ${c.value}`)), c.name).toBe(true);
			expect(rows.some(r => r.endsWith('* ?alice waves (4)'))).toBe(true);
			for (const c of systemCases) expect(rows.some(r => r.endsWith(`-- ${c.mark}${c.words}`)), c.name).toBe(true);
			expect(text).not.toContain('password');
		} finally {
			app.unmount();
		}
	}, 30_000);

	it('marks them in kchat tail, text and --json ("foreign": true); the lure nowhere', () => {
		expect(tail.code).toBe(0);
		const out = tail.stdout.toString('utf8');
		expect(out).toMatch(new RegExp(` ${room} <alice> really alice\\n`));
		for (const c of cases.filter(x => x.headers['kchat-type'] !== 'action')) expect(out).toContain(` ${room} ?<alice> ${c.value}\n`);
		expect(out).toContain(` ${room} * ?alice waves (4)\n`);
		for (const c of systemCases) expect(out).toContain(` ${room} -- ${c.mark}${c.words}\n`);
		expect(out).not.toContain('password');
		const records = jsonLines(tailJson);
		expect(records.find(r => r['text'] === 'really alice')).toMatchObject({user: 'alice', foreign: false});
		for (const c of cases) expect(records.find(r => r['text'] === c.value), c.name).toMatchObject({user: 'alice', foreign: true});
		for (const c of systemCases) expect(records.find(r => r['text'] === c.words), c.name).toMatchObject({foreign: c.mark === '?'});
		expect(tailJson.stdout.toString('utf8')).not.toContain('password');
		figures['11.8 tail --json'] = {written: cases.length + systemCases.length + 1, shown: records.length, shownMarked: records.filter(r => r['foreign'] === true).length, replaced: 0};
	});
});
