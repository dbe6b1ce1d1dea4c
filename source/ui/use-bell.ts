import {useEffect, useRef} from 'react';
import {useStdout} from 'ink';
import {useStore} from 'zustand';
import type {ChatStore} from '../store/chat-store.js';

/** Rings the terminal bell each time the store's bell counter goes up (a mention in a room not on screen). */
export function useBell(store: ChatStore, enabled: boolean): void {
	const bell = useStore(store, s => s.bell);
	const {write} = useStdout();
	const last = useRef(bell);
	useEffect(() => {
		// Ink's write keeps its frame intact (BEL moves no cursor anyway).
		if (enabled && bell > last.current) write('\u0007');
		last.current = bell;
	}, [bell, enabled, write]);
}
