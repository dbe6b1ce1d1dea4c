import {afterAll, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import type {ChatMessage} from '../../source/chat/message.js';
import {instance, stopAll, uniqueRoom, waitForStore, type Instance} from '../support/chat-instance.js';
import {paneRows, renderLiveApp} from '../hostile/support/app-harness.js';
import {waitFor} from '../ui/support/wait-for.js';

// Issue 12.12: `/nick` and a clean quit leave a line in every room the user is in, so the history reads
// right for everyone, also for whoever joins later: "alice is now known as alicia", "alicia quit".

afterAll(async () => {
	cleanup();
	await stopAll();
});

const systemLines = (i: Instance, room: string): ChatMessage[] => i.store.getState().rooms[room]?.log.slice().filter(m => m.type === 'nick' || m.type === 'quit') ?? [];

describe('nick changes and quits in the rooms (real broker)', () => {
	it('others see "alice is now known as alicia" and "alicia quit" in each room; a later joiner reads them too', async () => {
		const [r1, r2] = [uniqueRoom('nick'), uniqueRoom('nick')];
		const alice = instance('alice');
		const bob = instance('bob');
		for (const room of [r1, r2]) {
			await alice.service.join(room);
			await bob.service.join(room);
		}
		alice.service.setNick('alicia');
		for (const room of [r1, r2]) {
			await waitForStore(bob.store, () => systemLines(bob, room).some(m => m.type === 'nick'), 20_000, `the nick line in ${room}`);
		}
		await alice.service.stop();
		for (const room of [r1, r2]) {
			await waitForStore(bob.store, () => systemLines(bob, room).some(m => m.type === 'quit'), 20_000, `the quit line in ${room}`);
			expect(systemLines(bob, room).map(m => ({type: m.type, user: m.user, text: m.text, foreign: m.foreign}))).toEqual([
				{type: 'nick', user: 'alice', text: 'alice is now known as alicia', foreign: false},
				{type: 'quit', user: 'alicia', text: 'alicia quit', foreign: false},
			]);
		}

		const app = await renderLiveApp(bob.store, bob.service, 120, 30);
		try {
			bob.store.getState().actions.selectRoom(r1);
			const rows = await waitFor(() => {
				const r = paneRows(app.frame());
				expect(r.some(row => row.endsWith('-- alicia quit'))).toBe(true);
				return r;
			}, 10_000);
			expect(rows.some(row => row.endsWith('-- alice is now known as alicia'))).toBe(true);
		} finally {
			app.unmount();
		}

		const carol = instance('carol', {announce: false});
		await carol.service.join(r2);
		expect(systemLines(carol, r2).map(m => m.text)).toEqual(['alice is now known as alicia', 'alicia quit']);
	}, 90_000);
});
