import {createElement} from 'react';
import {createChatStore} from '../store/chat-store.js';
import {sleep} from './bench-context.js';
import {fillRoom, idleController} from './generated-messages.js';
import {HeadlessStdin, HeadlessStdout, visibleText} from './headless-terminal.js';
import {percentile, round} from './stats.js';

export type RenderResult = {
	/** From the start of the process to the first frame, less the time spent generating the test messages. */
	firstFrameMs: number;
	/** From Ink's render() to the first frame. */
	mountMs: number;
	keyToFrameP50Ms: number;
	keyToFrameP99Ms: number;
	keyToFrameMaxMs: number;
	keys: number;
	messages: number;
};

const TYPED = 'thequickbrownfoxjumpsoverthelazydog0123456789helloKafkachatbenchmark';

/**
 * Runs in a process of its own (`kchat bench --internal render`), so the figures are those of a
 * fresh kchat: a room with `messages` lines, the real App rendered by Ink into a terminal without a
 * screen, then `keys` keys typed into the input box one at a time, each timed until the frame that
 * shows it is written. Keys come `gapMs` apart (a fast typist), so Ink's 30 fps limit does not
 * hold a frame back.
 */
export async function measureRender(options: {messages: number; keys: number; columns?: number; rows?: number; gapMs?: number}): Promise<RenderResult & {samples: number[]}> {
	const filling = performance.now();
	const store = createChatStore({nick: 'me', brokers: ['127.0.0.1:9092'], scrollbackCap: options.messages + 1000});
	fillRoom(store, 'lobby', options.messages);
	for (const [i, room] of ['random', 'kafka', 'dev'].entries()) fillRoom(store, room, 200, i + 2);
	store.getState().actions.selectRoom('lobby');
	store.getState().actions.setConnection('online');
	const fillMs = performance.now() - filling;

	// What `kchat` loads before its first frame (Ink, React, the UI, the chat service and kafkajs).
	await import('../commands/chat.js');
	const [{render}, {App}] = await Promise.all([import('ink'), import('../ui/app.js')]);

	const stdout = new HeadlessStdout(options.columns ?? 120, options.rows ?? 40);
	const stdin = new HeadlessStdin();
	const rendering = performance.now();
	const instance = render(createElement(App, {store, controller: idleController(), bell: false, onQuit: () => {}}), {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		stderr: stdout as unknown as NodeJS.WriteStream,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	// Ink writes no frames when it believes it runs in CI (the CI variable): fail rather than wait forever.
	for (let waited = 0; stdout.firstWriteAt === undefined; waited++) {
		if (waited > 30_000) throw new Error('Ink wrote no frame within 30 s (is CI set in the environment?)');
		await sleep(1);
	}
	const firstAt = stdout.firstWriteAt;
	const mountMs = firstAt - rendering;
	await sleep(300); // effects: raw mode, key listeners

	const samples: number[] = [];
	let typed = '';
	for (let k = 0; k < options.keys; k++) {
		const ch = TYPED[k % TYPED.length]!;
		typed += ch;
		const want = typed.slice(-12);
		const shown = new Promise<number>(resolve => {
			const off = stdout.onWrite(write => {
				if (!visibleText(write.data).includes(want)) return;
				off();
				resolve(write.at);
			});
			setTimeout(() => {
				off();
				resolve(Number.NaN);
			}, 2000);
		});
		const started = performance.now();
		stdin.type(ch);
		const at = await shown;
		if (Number.isFinite(at)) samples.push(at - started);
		await sleep(options.gapMs ?? 60);
	}
	instance.unmount();
	samples.sort((a, b) => a - b);
	return {
		firstFrameMs: round(firstAt - fillMs),
		mountMs: round(mountMs),
		keyToFrameP50Ms: round(percentile(samples, 0.5)),
		keyToFrameP99Ms: round(percentile(samples, 0.99)),
		keyToFrameMaxMs: round(samples[samples.length - 1] ?? 0),
		keys: samples.length,
		messages: store.getState().rooms['lobby']?.log.length ?? 0,
		samples: samples.map(x => round(x)),
	};
}
