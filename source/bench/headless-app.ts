import {createElement} from 'react';
import {render, type RenderOptions} from 'ink';
import type {ChatService} from '../kafka/chat-service.js';
import type {ChatStore} from '../store/chat-store.js';
import {App} from '../ui/app.js';
import {HeadlessStdin, HeadlessStdout} from './headless-terminal.js';

/** The real App drawn by Ink into a terminal that exists only in memory: what a bench measures. */
export function renderHeadlessApp(store: ChatStore, controller: ChatService, onRender?: RenderOptions['onRender']): ReturnType<typeof render> {
	const stdout = new HeadlessStdout(120, 40);
	return render(createElement(App, {store, controller, bell: false, onQuit: () => {}}), {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: new HeadlessStdin() as unknown as NodeJS.ReadStream,
		stderr: stdout as unknown as NodeJS.WriteStream,
		exitOnCtrlC: false,
		patchConsole: false,
		...(onRender ? {onRender} : {}),
	});
}
