import {createChatStore} from '../store/chat-store.js';
import {sleep} from './bench-context.js';
import {feedRoom, fillRoom, idleController} from './generated-messages.js';
import {HeadlessStdin, HeadlessStdout} from './headless-terminal.js';
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
	/** Key-to-frame while lines arrive in the room on screen at 200 a second. */
	busyKeyToFrameP50Ms: number;
	busyKeyToFrameP99Ms: number;
	busyKeys: number;
	/** Bytes written to the terminal per second while lines arrive in the room on screen at 50 a second. */
	bytesPerSecondAt50: number;
};

/** What a render measurement is asked to do. `load` imports what `kchat` loads before its first frame. */
export type RenderOptions = {
	messages: number;
	keys: number;
	busyKeys: number;
	/** How long the bytes at 50 lines a second are counted. */
	bytesSeconds: number;
	load: () => Promise<unknown>;
	columns?: number;
	rows?: number;
	gapMs?: number;
	/** Draw as `kchat --no-alt-screen` does (Ink's own output) instead of on the alternate screen. */
	altScreen?: boolean;
};

export type RenderSamples = RenderResult & {samples: number[]; busySamples: number[]};

const TYPED = 'thequickbrownfoxjumpsoverthelazydog0123456789helloKafkachatbenchmark';

const PROMPT = '[lobby] ';

/** The input box's text as the screen shows it: its rows from the prompt on, joined, without the prompt's indent. */
function inputText(stdout: HeadlessStdout): string {
	const rows = stdout.screen.text();
	const first = rows.findIndex(row => row.startsWith(PROMPT));
	if (first === -1) return '';
	return rows
		.slice(first, -1)
		.map(row => row.slice(PROMPT.length).trimEnd())
		.join('');
}

/**
 * Types `count` keys into the input box, `gapMs` apart (a fast typist, so Ink's frame rate limit does
 * not hold a frame back), each timed until the frame that shows it is written.
 */
async function typeKeys(stdin: HeadlessStdin, stdout: HeadlessStdout, count: number, gapMs: number, offset: number): Promise<number[]> {
	const samples: number[] = [];
	let typed = '';
	for (let k = 0; k < count; k++) {
		const ch = TYPED[(k + offset) % TYPED.length]!;
		typed += ch;
		const want = typed.slice(-12);
		// The key is shown when the screen's input row holds the text typed (whatever was written to get there).
		const shown = new Promise<number>(resolve => {
			const off = stdout.onWrite(write => {
				if (!inputText(stdout).includes(want)) return;
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
		await sleep(gapMs);
	}
	// Clear the input for what comes next (Ctrl+U).
	stdin.type('\u0015');
	await sleep(gapMs);
	return samples.sort((a, b) => a - b);
}

/**
 * Runs in a process of its own (`kchat bench --internal render`), so the figures are those of a
 * fresh kchat: a room with `messages` lines, the real App rendered by Ink into a terminal without a
 * screen. Then `keys` keys are typed into the input box one at a time; then `busyKeys` more while
 * lines arrive in the room at 200 a second; then, with no typing, the bytes written per second while
 * lines arrive at 50 a second.
 */
export async function measureRender(options: RenderOptions): Promise<RenderSamples> {
	const filling = performance.now();
	const store = createChatStore({nick: 'me', brokers: ['127.0.0.1:9092'], scrollbackCap: options.messages + 1000});
	fillRoom(store, 'lobby', options.messages);
	for (const [i, room] of ['random', 'kafka', 'dev'].entries()) fillRoom(store, room, 200, i + 2);
	store.getState().actions.selectRoom('lobby');
	store.getState().actions.setConnection('online');
	const fillMs = performance.now() - filling;

	// What `kchat` loads before its first frame (Ink, React, the UI, the chat service and kafkajs).
	await options.load();
	const {renderChat} = await import('../ui/render-chat.js');

	const stdout = new HeadlessStdout(options.columns ?? 120, options.rows ?? 40);
	const stdin = new HeadlessStdin();
	const rendering = performance.now();
	// As `kchat` draws: on the alternate screen (--no-alt-screen draws as Ink does by itself).
	const instance = renderChat(
		{store, controller: idleController(), bell: false, onQuit: () => {}},
		{
			stdout: stdout as unknown as NodeJS.WriteStream,
			stdin: stdin as unknown as NodeJS.ReadStream,
			stderr: stdout as unknown as NodeJS.WriteStream,
			patchConsole: false,
			altScreen: options.altScreen ?? true,
		},
	);
	// Ink writes no frames when it believes it runs in CI (the CI variable): fail rather than wait forever.
	for (let waited = 0; stdout.firstWriteAt === undefined; waited++) {
		if (waited > 30_000) throw new Error('Ink wrote no frame within 30 s (is CI set in the environment?)');
		await sleep(1);
	}
	const firstAt = stdout.firstWriteAt;
	const mountMs = firstAt - rendering;
	await sleep(300); // effects: raw mode, key listeners

	const gap = options.gapMs ?? 60;
	const samples = await typeKeys(stdin, stdout, options.keys, gap, 0);

	let stopFeed = feedRoom(store, 'lobby', 200);
	await sleep(500);
	const busySamples = await typeKeys(stdin, stdout, options.busyKeys, gap, options.keys);
	stopFeed();

	await sleep(500);
	stopFeed = feedRoom(store, 'lobby', 50, 6);
	await sleep(1000);
	const bytesBefore = stdout.bytes;
	const counting = performance.now();
	await sleep(options.bytesSeconds * 1000);
	const bytesPerSecond = ((stdout.bytes - bytesBefore) / (performance.now() - counting)) * 1000;
	stopFeed();

	instance.unmount();
	return {
		firstFrameMs: round(firstAt - fillMs),
		mountMs: round(mountMs),
		keyToFrameP50Ms: round(percentile(samples, 0.5)),
		keyToFrameP99Ms: round(percentile(samples, 0.99)),
		keyToFrameMaxMs: round(samples[samples.length - 1] ?? 0),
		keys: samples.length,
		messages: options.messages,
		busyKeyToFrameP50Ms: round(percentile(busySamples, 0.5)),
		busyKeyToFrameP99Ms: round(percentile(busySamples, 0.99)),
		busyKeys: busySamples.length,
		bytesPerSecondAt50: Math.round(bytesPerSecond),
		samples: samples.map(x => round(x)),
		busySamples: busySamples.map(x => round(x)),
	};
}
