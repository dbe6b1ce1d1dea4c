import type {ChatService} from '../kafka/chat-service.js';
import type {ChatStore} from '../store/chat-store.js';
import {renderChat, type ChatInstance, type ChatRenderOptions} from '../ui/render-chat.js';
import {HeadlessStdin, HeadlessStdout} from './headless-terminal.js';

/** The real App drawn as `kchat` draws it (alternate screen) into a terminal that exists only in memory: what a bench measures. */
export function renderHeadlessApp(store: ChatStore, controller: ChatService, onRender?: ChatRenderOptions['onRender']): ChatInstance {
	const stdout = new HeadlessStdout(120, 40);
	return renderChat(
		{store, controller, bell: false, onQuit: () => {}},
		{
			stdout: stdout as unknown as NodeJS.WriteStream,
			stdin: new HeadlessStdin() as unknown as NodeJS.ReadStream,
			stderr: stdout as unknown as NodeJS.WriteStream,
			patchConsole: false,
			altScreen: true,
			...(onRender ? {onRender} : {}),
		},
	);
}
