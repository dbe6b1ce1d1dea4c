import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {instance, roomLines, stopAll, uniqueRoom, waitForStore} from '../support/chat-instance.js';
import {paneText, renderLiveApp, type LiveApp} from '../hostile/support/app-harness.js';
import {waitFor} from '../ui/support/wait-for.js';

// The README's commands through the real controller: the App on a ChatService on the real broker.

const apps: LiveApp[] = [];
afterEach(async () => {
	for (const app of apps.splice(0)) app.unmount();
	cleanup();
	await stopAll();
});

async function app(...args: Parameters<typeof renderLiveApp>): Promise<LiveApp> {
	const a = await renderLiveApp(...args);
	apps.push(a);
	return a;
}

async function run(ui: LiveApp, line: string): Promise<void> {
	await ui.press('\u0015'); // Ctrl+U: a fresh line
	await ui.press(line);
	await ui.press('\r');
}

describe('slash commands on a real broker', () => {
	it('/join creates and joins a room, /me sends an action to it, /rooms lists it as joined', async () => {
		const [home, other] = [uniqueRoom('home'), uniqueRoom('other')];
		const me = instance('joiner');
		await me.service.join(home);
		const ui = await app(me.store, me.service, 160, 30);
		await run(ui, `/join ${other} 2`);
		await waitForStore(me.store, s => s.rooms[other]?.status === 'live' && s.current === other, 20_000, 'the new room live and current');
		await waitFor(() => expect(ui.frame()).toMatch(new RegExp(`^\\[${other}\\]`, 'm')), 10_000);

		await run(ui, '/me waves at everyone');
		await waitForStore(me.store, () => roomLines(me.store, other, 'action').some(m => m.text === 'waves at everyone'), 20_000, 'the action delivered');
		await waitFor(() => expect(paneText(ui.frame())).toContain('* joiner waves at everyone'), 10_000);

		await run(ui, '/rooms');
		// The list is a notice in the room (the broker may hold many rooms: the pane shows its end).
		const listing = (): string => me.store.getState().rooms[other]!.log.last()?.text ?? '';
		await waitFor(() => expect(listing()).toMatch(/^\d+ rooms on the broker:\n/), 10_000);
		expect(listing()).toContain(`  ${other} (2 partitions), joined`);
		expect(listing()).toContain(`  ${home} (3 partitions), joined`);
		await waitFor(() => expect(ui.frame()).toMatch(/ \(\d+ partitions?\)/), 10_000);
	});

	it('/history N reads N older lines from Kafka into the room and says so; again up to the start', async () => {
		const room = uniqueRoom('history');
		const writer = instance('writer', {announce: false});
		await writer.service.join(room);
		for (let i = 0; i < 90; i++) await writer.service.send(room, `old ${i}`);
		const reader = instance('reader', {historySize: 50, announce: false});
		await reader.service.join(room);
		expect(roomLines(reader.store, room).map(m => m.text)).toEqual(Array.from({length: 50}, (_, i) => `old ${40 + i}`));
		const ui = await app(reader.store, reader.service, 160, 30);

		await run(ui, '/history 30');
		await waitForStore(reader.store, () => roomLines(reader.store, room).length === 80, 20_000, '30 more lines');
		expect(roomLines(reader.store, room).map(m => m.text)).toEqual(Array.from({length: 80}, (_, i) => `old ${10 + i}`));
		const notice = (): string | undefined => reader.store.getState().rooms[room]!.log.last()?.text;
		await waitFor(() => expect(notice()).toMatch(new RegExp(`^loaded 30 older lines of ${room}, back to .* \\d\\d:\\d\\d:\\d\\d; /history again for more$`)), 10_000);

		await run(ui, '/history 30');
		await waitFor(() => expect(notice()).toBe(`loaded 10 older lines of ${room}, back to ${notice()!.match(/back to (.*);/)?.[1]}; that is the start of ${room}`), 20_000);
		expect(roomLines(reader.store, room)).toHaveLength(90);
		await run(ui, '/history 5');
		await waitFor(() => expect(notice()).toBe(`no older messages: ${room} starts here`), 20_000);
	});
});
