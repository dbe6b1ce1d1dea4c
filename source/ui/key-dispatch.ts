import {KeyDecoder, type KeyPress} from '../chat/key-decoder.js';
import {bindingsOf, KEY_TABLE} from './key-table.js';
import type {UiActions} from './ui-actions.js';

// From Ink's input events to what the keys do: decoded into key presses, each looked up in the key table
// and run at once, in order, against the store (no React state in between, so a read holding several
// keys acts as those keys typed one by one). Text that is not a binding is typed into the input.

/** After a lone Esc, a key within this time counts as Alt+key (terminals that send Alt as an Esc prefix). */
export const ESC_PREFIX_MS = 1000;

/** Keys a search shown in the pane keeps for itself; any other key ends it and does its own job. */
const SEARCH_KEYS = new Set(['n', 'N', 'ctrl+r', 'escape', 'pageup', 'pagedown', 'ctrl+home', 'ctrl+end', 'f1', 'ctrl+c', 'ctrl+l']);

/** Typed characters some binding takes (`?` on an empty input, `n`/`N` in a search). */
const BOUND_CHARACTERS = new Set(KEY_TABLE.flatMap(b => b.keys).filter(k => [...k].length === 1));

export class KeyDispatcher {
	private readonly decoder = new KeyDecoder();
	private escapeAt: number | undefined;

	constructor(
		private readonly ui: UiActions,
		private readonly now: () => number = Date.now,
	) {}

	/** One input event from Ink (a run of text, an escape sequence, part of a paste). */
	input(event: string): void {
		for (const press of this.decoder.push(event)) this.press(press);
	}

	private press(press: KeyPress): void {
		const {view} = this.ui.store.getState();
		const name = press.kind === 'key' ? press.name : undefined;
		// The search prompt (ink-text-input) takes its own keys; these few are the app's.
		if (view.search?.phase === 'prompt') {
			if (name === 'ctrl+c' || name === 'escape' || name === 'ctrl+r') this.run(name);
			return;
		}
		if (view.help) {
			if (name === 'pageup' || name === 'pagedown') {
				this.ui.scrollHelp(name === 'pageup' ? -1 : 1);
				return;
			}
			// Any other key closes the help, and still does its job (Esc and F1 only close it).
			this.ui.store.getState().actions.closeHelp();
			if (name === 'escape' || name === 'f1') return;
		}
		if (view.search?.phase === 'results' && !(name !== undefined ? SEARCH_KEYS.has(name) : press.kind === 'text' && SEARCH_KEYS.has(press.text))) {
			this.ui.endSearch();
		}
		switch (press.kind) {
			case 'paste':
				this.escapeAt = undefined;
				this.ui.paste(press.text);
				return;
			case 'text':
				this.text(press.text);
				return;
			case 'key': {
				const escaped = this.escapeAt !== undefined && this.now() - this.escapeAt <= ESC_PREFIX_MS;
				this.escapeAt = undefined;
				const used = this.run(press.name);
				if (!used && press.name === 'escape' && !escaped) this.escapeAt = this.now();
			}
		}
	}

	/** Runs the first binding of `key` that applies; false when none does. */
	private run(key: string): boolean {
		for (const binding of bindingsOf(key)) if (binding.run(this.ui, key) !== false) return true;
		return false;
	}

	/** Typed text: characters with a binding run it when it applies (after a lone Esc: as Alt+key); the rest is typed. */
	private text(text: string): void {
		const chars = [...text];
		let start = 0;
		if (this.escapeAt !== undefined && this.now() - this.escapeAt <= ESC_PREFIX_MS && this.run(`alt+${chars[0]!.toLowerCase()}`)) start = 1;
		this.escapeAt = undefined;
		let pending = '';
		for (let i = start; i < chars.length; i++) {
			const c = chars[i]!;
			if (BOUND_CHARACTERS.has(c)) {
				if (pending) this.ui.type(pending);
				pending = '';
				if (this.run(c)) continue;
			}
			pending += c;
		}
		if (pending) this.ui.type(pending);
	}
}
