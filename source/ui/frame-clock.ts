import {useEffect, useState} from 'react';
import type {StoreApi} from 'zustand/vanilla';

// When store changes reach the screen. The App draws one frame per key (its handler runs inside
// `urgently`, and all it changed is drawn at once when it returns); what arrives on its own (messages,
// presence, the connection) is drawn at most every FRAME_MS, all of it in one frame. So a flood costs a
// few frames a second, and a keystroke never waits behind a frame for messages.

/** The interval between frames drawn for changes that came without a key. */
export const FRAME_MS = 50;

let urgent = 0;
const waiting = new Set<() => void>();

/** Runs `work` (a key's handler): the store changes it makes are drawn when it returns, in one frame. */
export function urgently<T>(work: () => T): T {
	urgent++;
	try {
		return work();
	} finally {
		urgent--;
		if (urgent === 0 && waiting.size > 0) {
			const draws = [...waiting];
			waiting.clear();
			for (const draw of draws) draw();
		}
	}
}

/**
 * A number that changes when the store has changed and a frame is due: at once after a key's handler,
 * else at most every FRAME_MS. Components read the store when they render; this says when.
 */
export function useFrame(store: StoreApi<unknown>): number {
	const [frame, setFrame] = useState(0);
	useEffect(() => {
		let timer: NodeJS.Timeout | undefined;
		const draw = (): void => {
			clearTimeout(timer);
			timer = undefined;
			waiting.delete(draw);
			setFrame(f => f + 1);
		};
		const unsubscribe = store.subscribe(() => {
			if (urgent > 0) waiting.add(draw);
			else timer ??= setTimeout(draw, FRAME_MS);
		});
		return () => {
			unsubscribe();
			clearTimeout(timer);
			waiting.delete(draw);
		};
	}, [store]);
	return frame;
}
