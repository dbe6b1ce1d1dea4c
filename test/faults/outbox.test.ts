import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {instance, roomLines, stopAll, uniqueRoom, waitForStore} from '../support/chat-instance.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-outbox-'));
afterEach(stopAll);
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

/** The `add` lines of every journal in an outbox folder. */
const saved = (outboxDir: string): string[] =>
	fs
		.readdirSync(outboxDir)
		.filter(n => n.endsWith('.jsonl'))
		.flatMap(n => fs.readFileSync(path.join(outboxDir, n), 'utf8').split('\n'))
		.filter(l => l.includes('"add"'));

describe('the outbox', () => {
	it('keeps messages typed while the broker is unreachable on disk and sends them, in order, at the next start', async () => {
		const room = uniqueRoom('outbox');
		const outboxDir = path.join(dir, 'olive');
		const watcher = instance('watcher');
		await watcher.service.join(room);

		// Nothing listens on port 1: the messages stay pending, then are saved when kchat quits.
		const offline = instance('olive', {brokers: ['127.0.0.1:1'], outboxDir});
		const pending = ['typed offline 1', 'typed offline 2', 'typed offline 3'].map(t => offline.service.send(room, t));
		await offline.service.stop();
		for (const p of pending) await expect(p).rejects.toThrow(/saved, sent at the next start/);
		expect(saved(outboxDir)).toHaveLength(3);

		const online = instance('olive', {outboxDir});
		await online.service.start();
		await waitForStore(watcher.store, () => roomLines(watcher.store, room).length >= 3, 20_000, 'the saved messages');
		expect(roomLines(watcher.store, room).map(m => [m.user, m.text])).toEqual([
			['olive', 'typed offline 1'],
			['olive', 'typed offline 2'],
			['olive', 'typed offline 3'],
		]);
		await online.service.stop();
		// Delivered: nothing is left to send at the start after that.
		const again = instance('olive', {brokers: ['127.0.0.1:1'], outboxDir});
		expect(saved(outboxDir)).toHaveLength(0);
		await again.service.stop();
	});
});
