import {render} from 'ink-testing-library';
import {createChatStore, type ChatStore} from '../../../source/store/chat-store.js';
import {App} from '../../../source/ui/app.js';
import type {ChatController} from '../../../source/ui/chat-controller.js';
import {fakeController, type FakeController} from './fake-controller.js';
import {flushInput, waitFor} from './wait-for.js';

/** Ink's colour and style codes (SGR); anything else starting with ESC in a frame is a leak. */
const SGR = /\u001B\[[0-9;]*m/g;

export function stripStyles(frame: string): string {
	return frame.replace(SGR, '');
}

/** The App on screen: frames, keys, size. */
export type Screen = {
	/** The last frame (not a bell or a redraw) without colour codes. */
	frame: () => string;
	/** The last frame as Ink wrote it. */
	rawFrame: () => string;
	/** Every write to stdout (frames, the bell, the redraw). */
	writes: () => readonly string[];
	/** Sends a key, after React ran the effects of the last one (ink-text-input re-registers its handler in one), as a terminal's next key would. */
	press: (sequence: string) => Promise<void>;
	/** Sends a key at once, as a terminal does right after a paste (the effects of the last key may not have run). */
	pressNow: (sequence: string) => void;
	resize: (columns: number, rows: number) => Promise<void>;
	unmount: () => void;
};

export type AppHarness = Screen & {
	store: ChatStore;
	controller: FakeController;
	/** How many times onQuit was called. */
	quits: () => number;
};

export type AppOptions = {nick?: string; columns?: number; rows?: number; bell?: boolean; scrollbackCap?: number; setup?: (store: ChatStore) => void};

/** Renders the real App on a store and a controller at a given size; resolves once the frame fills it. */
export async function renderScreen(
	store: ChatStore,
	controller: ChatController,
	options: {bell?: boolean; onQuit?: () => void; columns?: number; rows?: number} = {},
): Promise<Screen> {
	const instance = render(<App store={store} controller={controller} bell={options.bell} onQuit={options.onQuit ?? (() => undefined)} />);
	const stdout = instance.stdout;
	// In debug mode (ink-testing-library) Ink's write() of the bell or a redraw is a write of its own, not followed by the frame.
	const lastFrame = (): string => {
		for (let i = instance.frames.length - 1; i >= 0; i--) {
			const f = instance.frames[i]!;
			if (!f.startsWith('\u0007') && !f.startsWith('\u001B[2J')) return f;
		}
		return '';
	};
	const screen: Screen = {
		frame: () => stripStyles(lastFrame()),
		rawFrame: lastFrame,
		writes: () => instance.frames,
		async press(sequence) {
			await flushInput();
			instance.stdin.write(sequence);
		},
		pressNow(sequence) {
			instance.stdin.write(sequence);
		},
		async resize(columns, rows) {
			// ink-testing-library's stdout has a fixed `columns` getter and no `rows`.
			Object.defineProperty(stdout, 'columns', {value: columns, configurable: true});
			Object.defineProperty(stdout, 'rows', {value: rows, configurable: true});
			stdout.emit('resize');
			await waitFor(() => {
				const lines = screen.frame().split('\n');
				if (lines.length !== rows - 1) throw new Error(`frame has ${lines.length} rows, want ${rows - 1}`);
			});
		},
		unmount: () => instance.unmount(),
	};
	await screen.resize(options.columns ?? 100, options.rows ?? 24);
	return screen;
}

/** Renders the App on a real store (filled by `setup` through its actions) with a recording controller, at a given size. */
export async function renderApp(options: AppOptions = {}): Promise<AppHarness> {
	const store = createChatStore({nick: options.nick ?? 'me', brokers: ['localhost:9092'], scrollbackCap: options.scrollbackCap});
	// Connected, as the engine says once it is (a test of the connecting screen sets it back).
	store.getState().actions.setConnection('online');
	options.setup?.(store);
	const controller = fakeController();
	let quits = 0;
	const screen = await renderScreen(store, controller, {bell: options.bell, onQuit: () => quits++, columns: options.columns, rows: options.rows});
	return {...screen, store, controller, quits: () => quits};
}
