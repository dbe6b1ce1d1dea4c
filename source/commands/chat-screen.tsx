import type {Instance} from 'ink';
import type {ChatController} from '../ui/chat-controller.js';
import type {ChatStore} from '../store/chat-store.js';
import {renderChat} from '../ui/render-chat.js';
import {enterTerminalModes} from '../ui/terminal-modes.js';

export type ChatScreenProps = {store: ChatStore; controller: ChatController; bell: boolean; onQuit: () => void; altScreen: boolean};

/** Draws the chat. Its own module so `kchat --help` and usage errors do not wait for Ink to load. */
export function showChat({altScreen, ...props}: ChatScreenProps): Instance {
	const terminal = process.stdin.isTTY && process.stdout.isTTY;
	// On the alternate screen, and with pastes marked by the terminal so they are kept whole (see KeyDecoder).
	const modes = terminal ? enterTerminalModes(process.stdout, altScreen) : undefined;
	const instance = renderChat(props, {stdout: process.stdout, altScreen: modes !== undefined && altScreen});
	if (!modes) return instance;
	// SIGINT from outside (Ctrl+C inside is a key) ends the chat as /quit does, so the modes are restored.
	const onInterrupt = (): void => props.onQuit();
	process.on('SIGINT', onInterrupt);
	const done = (): void => {
		process.off('SIGINT', onInterrupt);
		modes.restore();
	};
	void instance.waitUntilExit().then(done, done);
	// Right after the last frame, before anything the caller prints (a crash's message must land on the shell's screen).
	return {
		...instance,
		unmount: (...args: Parameters<Instance['unmount']>) => {
			instance.unmount(...args);
			done();
		},
	};
}
