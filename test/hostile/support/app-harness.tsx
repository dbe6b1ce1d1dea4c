import type {ChatStore} from '../../../source/store/chat-store.js';
import type {ChatController} from '../../../source/ui/chat-controller.js';
import {renderScreen, type Screen} from '../../ui/support/render-app.js';

export type LiveApp = Screen;

/**
 * The real App on an instance's own store, with a real controller (the instance's ChatService): what a
 * user of `kchat` sees, at a given terminal size.
 */
export function renderLiveApp(store: ChatStore, controller: ChatController, columns = 160, rows = 60): Promise<LiveApp> {
	return renderScreen(store, controller, {bell: false, columns, rows});
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
