import React from 'react';
import {render, type Instance} from 'ink';
import type {ChatController} from '../ui/chat-controller.js';
import type {ChatStore} from '../store/chat-store.js';
import {App} from '../ui/app.js';

/** Draws the chat. Its own module so `kchat --help` and usage errors do not wait for Ink to load. */
export function showChat(props: {store: ChatStore; controller: ChatController; bell: boolean; onQuit: () => void}): Instance {
	return render(<App {...props} />, {exitOnCtrlC: false});
}
