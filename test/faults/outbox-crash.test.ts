// kchat killed (-9) while it sends a large outbox: a record Kafka acknowledged but the journal had not
// marked as sent yet must not be sent again at the next start. Counted in Kafka itself (kcat), which
// shows duplicates that kchat's screen would hide.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {instance, stopAll, uniqueRoom, waitForStore} from '../support/chat-instance.js';
import {childInstance, type ChildInstance} from '../support/child-instance.js';
import {kafkaMessages, tally} from '../support/kafka-count.js';
import {testBrokers} from '../support/test-brokers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-outbox-crash-'));
let child: ChildInstance | undefined;
afterEach(async () => {
	await child?.kill();
	await stopAll();
});
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

/** Every operation in the journals of an outbox folder. */
function journalLines(outboxDir: string): {add?: {id: string}; done?: string}[] {
	return fs
		.readdirSync(outboxDir)
		.filter(n => n.endsWith('.jsonl'))
		.flatMap(n => fs.readFileSync(path.join(outboxDir, n), 'utf8').split('\n'))
		.flatMap(l => (l ? [JSON.parse(l) as {add?: {id: string}; done?: string}] : []));
}

describe('a crash while the outbox is being sent', () => {
	it('kill -9 right after the first acknowledgements of 5,000 saved messages: after the restart Kafka holds each one once', async () => {
		const total = 5000;
		const room = uniqueRoom('crash');
		const outboxDir = path.join(dir, 'crasher');
		await instance('maker').service.ensureRoom(room);

		// Typed while the cluster was unreachable, saved when kchat quit.
		const offline = instance('crasher', {brokers: ['127.0.0.1:1'], outboxDir});
		for (let i = 0; i < total; i++) void offline.service.send(room, `saved ${i}`).catch(() => undefined);
		await offline.service.stop();
		const ids = journalLines(outboxDir).flatMap(op => (op.add ? [op.add.id] : []));
		expect(ids).toHaveLength(total);

		// The next start sends them, 500 to a batch, and is killed (SIGKILL) the moment Kafka's second
		// acknowledgement arrives: the first batch is marked as sent in the journal, the second is in Kafka
		// but not marked.
		child = await childInstance({brokers: testBrokers(), nick: 'crasher', outboxDir, dieAfterAcks: 2});
		expect(await child.exited).toBe('SIGKILL');
		const markedBeforeCrash = journalLines(outboxDir).filter(op => op.done).length;
		const inKafkaAtCrash = (await kafkaMessages(testBrokers(), room)).length;
		expect(inKafkaAtCrash).toBeGreaterThan(markedBeforeCrash);

		// The start after the crash sends the rest.
		const again = instance('crasher', {outboxDir, historySize: Infinity});
		await again.service.join(room);
		await waitForStore(
			again.store,
			s => {
				const log = s.rooms[room]?.log.slice() ?? [];
				return log.filter(m => m.type === 'message' && m.state === 'delivered').length >= total && !log.some(m => m.state === 'pending');
			},
			120_000,
			`${total} messages delivered`,
		);
		await again.service.stop();

		const counts = tally((await kafkaMessages(testBrokers(), room)).map(r => r.headers['kchat-id']!), ids);
		console.log(
			`crash while sending: queued ${total}, marked as sent before kill -9 ${markedBeforeCrash}, in Kafka at the crash ${inKafkaAtCrash}, ` +
				`found in Kafka ${counts.found} (${counts.distinct} distinct), lost ${counts.lost}, duplicated ${counts.duplicated}`,
		);
		expect(counts).toEqual({found: total, distinct: total, duplicated: 0, lost: 0});
		// Nothing is left to send at the next start.
		expect(fs.readdirSync(outboxDir).filter(n => n.endsWith('.jsonl'))).toEqual([]);
	}, 240_000);
});
