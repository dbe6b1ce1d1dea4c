import {useEffect, useRef} from 'react';
import {useStdin} from 'ink';
import {decodeKey, isControlInput, type GlobalKey} from './key-map.js';

/** After a lone Esc, a key within this time counts as Alt+key (terminals that send Alt as an Esc prefix). */
export const ESC_PREFIX_MS = 1000;

/** Returns true when the key was used (the text input then ignores it). */
export type KeyHandler = (key: GlobalKey | undefined, sequence: string) => boolean;

export type KeysState = {
	/** Whether the key being handled now belongs to the app, not to the text input. */
	isConsumed: () => boolean;
};

/**
 * The app's global keys. Listens to Ink's raw input events (one per key, already split by Ink's parser)
 * and goes first (prependListener), so the text input, which hears the same event after it, can drop
 * the letter ink-text-input would type for Ctrl+N or Alt+2.
 */
export function useKeys(handler: KeyHandler): KeysState {
	const {internal_eventEmitter: emitter, setRawMode} = useStdin();
	const handlerRef = useRef(handler);
	handlerRef.current = handler;
	const consumed = useRef(false);
	const state = useRef<KeysState>({isConsumed: () => consumed.current});

	useEffect(() => {
		setRawMode(true);
		return () => setRawMode(false);
	}, [setRawMode]);

	useEffect(() => {
		let escapeAt: number | undefined;
		const listener = (data: string): void => {
			let sequence = data;
			let key = decodeKey(data);
			// Esc then a key: the Alt+key of a terminal that sends Alt as a separate Esc (only for keys the app has).
			if (escapeAt !== undefined && /^[\u0020-\u007E]$/.test(data) && Date.now() - escapeAt <= ESC_PREFIX_MS) {
				const alt = decodeKey(`\u001B${data}`);
				if (alt) {
					key = alt;
					sequence = `\u001B${data}`;
				}
			}
			escapeAt = undefined;
			const used = handlerRef.current(key, sequence);
			if (key?.name === 'escape' && !used) escapeAt = Date.now();
			consumed.current = used || isControlInput(sequence);
		};
		emitter.prependListener('input', listener);
		return () => {
			emitter.removeListener('input', listener);
		};
	}, [emitter]);

	return state.current;
}
