import {render} from 'ink-testing-library';
import type {ChatStore} from '../../../source/store/chat-store.js';
import {App} from '../../../source/ui/app.js';
import type {ChatController} from '../../../source/ui/chat-controller.js';
import {stripStyles} from '../../ui/support/render-app.js';
import {flushInput, waitFor} from '../../ui/support/wait-for.js';

export type LiveApp = {
	/** The last frame without Ink's colour codes. */
	frame: () => string;
	/** The last frame as Ink wrote it. */
	rawFrame: () => string;
	/** Every write to stdout so far. */
	writes: () => readonly string[];
	press: (sequence: string) => Promise<void>;
	unmount: () => void;
};

/**
 * The real App on an instance's own store, with a real controller (the instance's ChatService): what a
 * user of `kchat` sees, at a given terminal size.
 */
export async function renderLiveApp(store: ChatStore, controller: ChatController, columns = 160, rows = 60): Promise<LiveApp> {
	const instance = render(<App store={store} controller={controller} bell={false} onQuit={() => undefined} />);
	const lastFrame = (): string => {
		for (let i = instance.frames.length - 1; i >= 0; i--) {
			const f = instance.frames[i]!;
			if (!f.startsWith('\u0007') && !f.startsWith('\u001B[2J')) return f;
		}
		return '';
	};
	// ink-testing-library's stdout has a fixed `columns` getter and no `rows`.
	Object.defineProperty(instance.stdout, 'columns', {value: columns, configurable: true});
	Object.defineProperty(instance.stdout, 'rows', {value: rows, configurable: true});
	instance.stdout.emit('resize');
	const app: LiveApp = {
		frame: () => stripStyles(lastFrame()),
		rawFrame: lastFrame,
		writes: () => instance.frames,
		async press(sequence) {
			await flushInput();
			instance.stdin.write(sequence);
		},
		unmount: () => instance.unmount(),
	};
	await waitFor(() => {
		const height = app.frame().split('\n').length;
		if (height !== rows - 1) throw new Error(`frame has ${height} rows, want ${rows - 1}`);
	});
	return app;
}

/** The message pane's rows (between the room list and the member list), right-trimmed, blank ones dropped. */
export function paneRows(frame: string): string[] {
	return frame
		.split('\n')
		.map(row => /^.{19}│ ?(.*?)\s*│/.exec(row)?.[1])
		.filter((row): row is string => row !== undefined && row !== '');
}

/** The pane's rows as one text: rows joined by a space with their indentation dropped, so wrapped words meet again. */
export function paneText(frame: string): string {
	return paneRows(frame)
		.map(row => row.trim())
		.join(' ');
}
