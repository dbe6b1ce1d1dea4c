import {useEffect, useRef} from 'react';
import {useStdin} from 'ink';
import {urgently} from './frame-clock.js';
import {KeyDispatcher} from './key-dispatch.js';
import type {UiActions} from './ui-actions.js';

/**
 * Feeds Ink's raw input events (one per escape sequence or run of text, as its parser cuts a read) to
 * the key dispatcher, ahead of any other listener (the search prompt's ink-text-input hears them after).
 */
export function useKeyDispatch(ui: UiActions): void {
	const {internal_eventEmitter: emitter, setRawMode} = useStdin();
	const dispatcher = useRef<KeyDispatcher | undefined>(undefined);
	dispatcher.current ??= new KeyDispatcher(ui);

	useEffect(() => {
		setRawMode(true);
		return () => setRawMode(false);
	}, [setRawMode]);

	useEffect(() => {
		// What the key changes is drawn at once, in one frame.
		const listener = (data: string): void => urgently(() => dispatcher.current!.input(data));
		emitter.prependListener('input', listener);
		return () => {
			emitter.removeListener('input', listener);
		};
	}, [emitter]);
}
