import {useEffect, useRef} from 'react';
import {useStdin} from 'ink';

const LINE_BREAK = /\r\n|\r|\n/;

/**
 * ink-text-input submits only on an Enter that arrives on its own. Ink hands text and Enter that came in
 * one read (`alice⏎` typed fast, pasted, or sent by a script) over as one event, which ink-text-input
 * would insert as text with the line break in it. This takes such an event first: the text before the
 * break is added to the value and submitted. `isLineBurst` tells the prompt's onChange to drop the
 * change ink-text-input makes from the same event.
 */
export function useBurstSubmit(current: () => string, submit: (line: string) => void, isActive = true): {isLineBurst: (value: string) => boolean} {
	const {internal_eventEmitter: emitter} = useStdin();
	const latest = useRef({current, submit});
	latest.current = {current, submit};

	useEffect(() => {
		if (!isActive) return undefined;
		const listener = (data: string): void => {
			// A lone Enter is ink-text-input's own; an escape sequence is not text.
			if (data.length < 2 || data.startsWith('\u001B') || !LINE_BREAK.test(data)) return;
			const [before = ''] = data.split(LINE_BREAK);
			const line = latest.current.current() + before;
			// After every listener of this event has seen it as typed into the prompt (the app's keys go on
			// seeing a prompt, not what the answer opens).
			queueMicrotask(() => latest.current.submit(line));
		};
		emitter.prependListener('input', listener);
		return () => {
			emitter.removeListener('input', listener);
		};
	}, [emitter, isActive]);

	return {isLineBurst: value => LINE_BREAK.test(value)};
}
