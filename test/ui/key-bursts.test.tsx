import {render} from 'ink';
import {afterEach, describe, expect, it} from 'vitest';
import {PASTE_END, PASTE_START} from '../../source/chat/key-burst.js';
import {HeadlessStdin, HeadlessStdout, visibleText} from '../../source/bench/headless-terminal.js';
import {createChatStore} from '../../source/store/chat-store.js';
import {App} from '../../source/ui/app.js';
import {KeyPacer} from '../../source/ui/key-pacer.js';
import {PacedStdin} from '../../source/ui/paced-stdin.js';
import {fakeController} from './support/fake-controller.js';
import {joinRooms} from './support/messages.js';
import {waitFor} from './support/wait-for.js';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

/** The real App under Ink, reading the terminal through PacedStdin and KeyPacer, as `kchat` does. */
async function start() {
	const store = createChatStore({nick: 'me', brokers: ['localhost:9092']});
	joinRooms(store, 'a');
	const controller = fakeController();
	// A terminal's input: several keys arrive in one chunk when the app was busy.
	const keyboard = new HeadlessStdin();
	const stdout = new HeadlessStdout(80, 20);
	let last = '';
	stdout.onWrite(w => (last = visibleText(w.data)));
	const instance = render(
		<>
			<App store={store} controller={controller} bell={false} onQuit={() => undefined} />
			<KeyPacer />
		</>,
		{
			stdin: new PacedStdin(keyboard as unknown as NodeJS.ReadStream) as unknown as NodeJS.ReadStream,
			stdout: stdout as unknown as NodeJS.WriteStream,
			stderr: stdout as unknown as NodeJS.WriteStream,
			exitOnCtrlC: false,
			patchConsole: false,
			// Every frame written whole, also under CI=true (where Ink otherwise writes only the last one).
			debug: true,
		},
	);
	unmount = () => instance.unmount();
	await waitFor(() => expect(keyboard.isRaw).toBe(true));
	const sent = (): unknown[] => controller.callsOf('send').map(args => args[1]);
	return {send: (chunk: string) => keyboard.type(chunk), sent, frame: () => last};
}

describe('keys read several at a time (a busy app, a slow link)', () => {
	it('handles each key of a burst as that key: Enter sends, Backspace deletes, arrows move', async () => {
		const app = await start();
		app.send('hello\r');
		await waitFor(() => expect(app.sent()).toEqual(['hello']));
		app.send('abcd\x7f\x7fef\r');
		await waitFor(() => expect(app.sent()).toEqual(['hello', 'abef']));
		app.send('12\x1b[D3\r');
		await waitFor(() => expect(app.sent()).toEqual(['hello', 'abef', '132']));
	});

	it('keeps a paste in the input, line breaks as spaces, until Enter', async () => {
		const app = await start();
		app.send(`${PASTE_START}one\rtwo\r${PASTE_END}`);
		await waitFor(() => expect(app.frame()).toMatch(/^\[a\] one two\s*$/m));
		expect(app.sent()).toEqual([]);
		app.send('\r');
		await waitFor(() => expect(app.sent()).toEqual(['one two']));
	});
});
