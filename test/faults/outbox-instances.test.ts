// One nick in several kchat processes at once, the broker down: each keeps its own outbox, a crashed
// one's messages are taken over by exactly one later start, and Kafka gets every message once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {freePort, startBroker, stopBroker, type StartResult} from '../../source/broker/index.js';
import {clusterProbe as probe} from '../../source/kafka/cluster-probe.js';
import {instance, roomLines, stopAll, uniqueRoom, waitForStore} from '../support/chat-instance.js';
import {childInstance, type ChildInstance} from '../support/child-instance.js';
import {kafkaMessages, tally} from '../support/kafka-count.js';

// A broker of this file's own: the test stops it and starts it again.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-outbox-broker-'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-outbox-twins-'));
let broker: StartResult;
const children: ChildInstance[] = [];

beforeAll(async () => {
	broker = await startBroker({port: await freePort(), dataDir, heap: '384m', probe});
}, 120_000);

afterAll(async () => {
	await Promise.all(children.map(c => c.kill()));
	await stopAll();
	await stopBroker(dataDir).catch(() => undefined);
	fs.rmSync(dataDir, {recursive: true, force: true});
	fs.rmSync(dir, {recursive: true, force: true});
}, 60_000);

describe('one nick in two kchat processes at once', () => {
	it('both queue while the broker is down, one is killed -9, the broker comes back: every message reaches Kafka exactly once', async () => {
		const perInstance = 20;
		const room = uniqueRoom('twins');
		const outboxDir = path.join(dir, 'twin');
		const brokers = [broker.bootstrap];
		const maker = instance('maker', {brokers});
		await maker.service.ensureRoom(room);
		await maker.service.stop();
		await stopBroker(dataDir);

		const texts = (who: string): string[] => Array.from({length: perInstance}, (_, i) => `${who} ${i}`);
		const [a, b] = await Promise.all(['first', 'second'].map(who => childInstance({brokers, nick: 'twin', outboxDir, room, texts: texts(who)})));
		children.push(a!, b!);
		await Promise.all([a!.line(l => l === 'queued', 'queued'), b!.line(l => l === 'queued', 'queued')]);
		await a!.kill();

		broker = await startBroker({port: broker.port, dataDir, heap: '384m', probe});
		// The second instance still runs and sends its own. Two more start at once: one of them takes the
		// killed one's messages over, the other nothing.
		const [c, d] = [instance('twin', {brokers, outboxDir}), instance('twin', {brokers, outboxDir})];
		void c.service.start();
		void d.service.start();
		const watcher = instance('watcher', {brokers, historySize: Infinity});
		await watcher.service.join(room);
		const all = [...texts('first'), ...texts('second')];
		await waitForStore(watcher.store, () => new Set(roomLines(watcher.store, room).map(m => m.text)).size >= all.length, 120_000, 'every message');
		await b!.stop();
		await Promise.all([c.service.stop(), d.service.stop()]);

		const counts = tally((await kafkaMessages(brokers, room)).map(r => r.text!), all);
		console.log(
			`two instances of one nick: queued ${all.length} (${perInstance} each), one killed -9; found in Kafka ${counts.found} ` +
				`(${counts.distinct} distinct), lost ${counts.lost}, duplicated ${counts.duplicated}`,
		);
		expect(counts).toEqual({found: all.length, distinct: all.length, duplicated: 0, lost: 0});
		// And nothing is left to be sent again at a later start.
		const left = fs.readdirSync(outboxDir).filter(n => n.endsWith('.jsonl'));
		expect(left.flatMap(n => fs.readFileSync(path.join(outboxDir, n), 'utf8').split('\n').filter(l => l.includes('"add"')))).toEqual([]);
	}, 300_000);
});
