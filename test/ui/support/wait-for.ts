import {setImmediate as nextTurn} from 'node:timers/promises';

/**
 * Retries `check` (an assertion) on every turn of the event loop until it passes, then returns its value;
 * after `timeoutMs` throws its last error. Ink renders after stdin events and store changes, on its own
 * turns: this waits for the frame instead of sleeping a guessed time.
 */
export async function waitFor<T>(check: () => T, timeoutMs = 3000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			return check();
		} catch (error) {
			if (Date.now() > deadline) throw error;
		}
		await nextTurn();
	}
}

/** Lets Ink's input parser flush a lone Esc (it waits one setImmediate for the rest of a sequence). */
export async function flushInput(): Promise<void> {
	await nextTurn();
	await nextTurn();
}
