import {afterEach, describe, expect, it} from 'vitest';

// Colours on for this file (imported before Ink and chalk load), so the frames hold Ink's own styling:
// the test strips exactly that and checks that nothing else that a terminal would act on is left.
import './support/force-color.js';

import {cleanup} from 'ink-testing-library';
import type {RawRecord} from '../../source/chat/message.js';
import {decodeRecord} from '../../source/chat/record-codec.js';
import {sanitizeNick, sanitizeRoomName} from '../../source/chat/sanitize.js';
import {joinRooms} from './support/messages.js';
import {renderApp, stripStyles} from './support/render-app.js';
import {waitFor} from './support/wait-for.js';

afterEach(() => cleanup());

const ESC = '\u001B';
/** Controls a terminal acts on (all C0 but newline, DEL, C1) and bidi overrides. */
const UNSAFE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

const attacks = [
	`${ESC}]0;pwned title${'\u0007'}`, // window title
	`${ESC}]52;c;ZWNobyBwd25lZA==${'\u0007'}`, // clipboard (OSC 52)
	`${ESC}]8;;https://evil.example${ESC}\\link${ESC}]8;;${ESC}\\`, // hyperlink
	`${ESC}[2J${ESC}[H`, // clear screen, cursor home
	`${ESC}[10A${ESC}[31mred`, // cursor up, colour
	'\u009b31m', // 8-bit CSI
	`${ESC}c`, // full reset
	`${ESC}P+q544e${ESC}\\`, // DCS
	'\u202Egnp.exe\u202C', // bidi override
	'bell\u0007back\u0008space\r\u0000nul',
];

function hostileRecord(i: number, room: string): RawRecord {
	return {
		topic: room,
		partition: 0,
		offset: String(i),
		timestamp: String(Date.UTC(2026, 5, 1, 10, 0, i)),
		key: Buffer.from(`ev${ESC}[2Jil\u200B\u202E`),
		value: Buffer.from(`x ${attacks[i % attacks.length]} y`),
		headers: {'kchat-id': `id-${i}${ESC}]0;t\u0007`, 'kchat-user': `mal${ESC}]0;nick\u0007lory\u202E`, 'kchat-type': 'message'},
	};
}

describe('untrusted text', () => {
	it('renders hostile messages, nicks, room names and engine errors with no escape but Ink\'s styling', async () => {
		const app = await renderApp({
			columns: 160,
			rows: 40,
			setup: store => {
				joinRooms(store, 'a');
				const {actions} = store.getState();
				actions.receive(attacks.map((_, i) => decodeRecord(hostileRecord(i, 'a'))));
				actions.setAvailable([{name: sanitizeRoomName(`room${ESC}]0;x\u0007\u202E`), partitions: 1}]);
				actions.setMembers('a', [{nick: sanitizeNick(`bad${ESC}[5m\u200Bguy`), status: 'online', instances: 1}]);
				actions.setConnection('reconnecting', `ECONNREFUSED ${ESC}]0;title\u0007\u009b2J`);
				actions.receive([
					{id: 'own', room: 'a', user: 'me', type: 'message', text: 'mine', timestamp: Date.UTC(2026, 5, 1, 11), partition: -1, offset: '-1', state: 'failed', error: `kafka said ${ESC}[2J${ESC}]52;c;eA==\u0007no`, foreign: false},
				]);
			},
		});
		await waitFor(() => expect(app.frame()).toContain('kafka said'));
		const raw = app.rawFrame();
		// Ink's styling is there (colours are on) and is the only escape left.
		expect(raw).toMatch(/\u001B\[3\dm/);
		const plain = stripStyles(raw);
		expect(plain).not.toContain(ESC);
		expect(plain).not.toMatch(UNSAFE);
		// The hostile parts are visible as text, not acted on.
		expect(plain).toContain('␛');
		expect(plain).toContain('<U+202E>');
		expect(plain).toContain('kafka said ␛␛no');
		expect(plain).toContain('<mallory> x bell␇back␈space␍␀nul y');
		expect(plain).toContain('● badguy');
		expect(plain).toContain('reconnecting (ECONNREFUSED ␛␛)');
	});

	it('echoes a hostile command name or own pasted text without escapes', async () => {
		const app = await renderApp({columns: 120, rows: 20, setup: store => joinRooms(store, 'a')});
		await app.press(`/x${'\u0007'}y`);
		await app.press('\r');
		await waitFor(() => expect(app.frame()).toContain('unknown command'));
		const plain = stripStyles(app.rawFrame());
		expect(plain).not.toContain(ESC);
		expect(plain).not.toMatch(UNSAFE);
	});
});
