import React from 'react';
import {render, type Instance} from 'ink';
import type {ChatController} from '../ui/chat-controller.js';
import type {ChatStore} from '../store/chat-store.js';
import {App} from '../ui/app.js';
import {PacedStdin} from '../ui/paced-stdin.js';
import {KeyPacer} from '../ui/key-pacer.js';
import {BRACKETED_PASTE_OFF, BRACKETED_PASTE_ON} from '../chat/key-burst.js';

/** Draws the chat. Its own module so `kchat --help` and usage errors do not wait for Ink to load. */
export function showChat(props: {store: ChatStore; controller: ChatController; bell: boolean; onQuit: () => void}): Instance {
	const terminal = process.stdin.isTTY && process.stdout.isTTY;
	// Keys one at a time, pastes marked by the terminal and kept whole (see PacedStdin). Ink's type asks
	// for a whole ReadStream; it uses isTTY, setRawMode, setEncoding, ref, unref, read and 'readable'.
	const stdin = terminal ? (new PacedStdin(process.stdin) as unknown as NodeJS.ReadStream) : process.stdin;
	const instance = render(
		<>
			<App {...props} />
			<KeyPacer />
		</>,
		{exitOnCtrlC: false, stdin},
	);
	if (terminal) {
		process.stdout.write(BRACKETED_PASTE_ON);
		// However the app ends (unmount, a crash, process.exit), the shell gets its terminal back as it was.
		const off = (): void => void process.stdout.write(BRACKETED_PASTE_OFF);
		process.once('exit', off);
		void instance
			.waitUntilExit()
			.catch(() => undefined)
			.then(() => {
				process.off('exit', off);
				off();
			});
	}
	return instance;
}
