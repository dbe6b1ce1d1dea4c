import {useEffect, useState} from 'react';
import {useStdin} from 'ink';
import {PacedStdin} from './paced-stdin.js';

/**
 * Renders nothing, once after every key read through PacedStdin, and tells it when that render's
 * effects ran. Effects run in tree order after the render, and React runs any left from earlier renders
 * first: so by then every input handler (ink-text-input's closes over its value and cursor) has been
 * re-registered with the state the key left, and the next key may come.
 */
export function KeyPacer() {
	const {stdin} = useStdin();
	// Ink types its stdin as a ReadStream; under test it may be another stream, then there is nothing to pace.
	const paced: unknown = stdin;
	const [keys, setKeys] = useState(0);
	useEffect(() => {
		if (!(paced instanceof PacedStdin)) return undefined;
		paced.afterKey = () => setKeys(n => n + 1);
		return () => {
			paced.afterKey = undefined;
		};
	}, [paced]);
	useEffect(() => {
		if (keys > 0 && paced instanceof PacedStdin) paced.keyDone();
	}, [keys, paced]);
	return null;
}
