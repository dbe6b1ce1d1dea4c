import {edit, emptyBuffer, type EditAction, type TextBuffer} from '../chat/text-buffer.js';

// The input editor's state, one buffer per room (its text, cursor and history), so keys that arrive in
// one read are each applied to what the one before left: the key handler reads and writes the store
// synchronously, never a React closure.

/** The buffer used when no room is open. */
export const NO_ROOM = '';

export type InputState = {
	/** Per room (NO_ROOM when none is open). */
	inputs: Record<string, TextBuffer>;
};

export type InputActions = {
	/** Applies an editing action to the input of `room` (default: the current room). */
	editInput(action: EditAction, room?: string): void;
};

type Get = () => InputState & {current?: string};
type Set = (partial: Partial<InputState>) => void;

export function inputOf(state: InputState & {current?: string}, room = state.current ?? NO_ROOM): TextBuffer {
	return state.inputs[room] ?? EMPTY;
}

const EMPTY = emptyBuffer();

export function inputActions(set: Set, get: Get): InputActions {
	return {
		editInput: (action, room) => {
			const state = get();
			const key = room ?? state.current ?? NO_ROOM;
			const before = inputOf(state, key);
			const after = edit(before, action);
			if (after !== before) set({inputs: {...state.inputs, [key]: after}});
		},
	};
}
