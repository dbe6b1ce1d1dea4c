import React from 'react';
import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {decodePresence, encodePresence, PresenceTable} from '../../source/chat/presence-table.js';
import {MemberList} from '../../source/ui/member-list.js';

describe('simulated users in presence', () => {
	it('a simulated heartbeat says so; a nick is simulated only when every instance of it is', () => {
		const table = new PresenceTable();
		const beat = (nick: string, instance: string, simulated?: boolean) =>
			table.apply(decodePresence(Buffer.from(encodePresence({nick, instance, status: 'online', rooms: ['r'], at: 0, ...(simulated ? {simulated} : {})})), 1)!);
		beat('sim-bob', 'i1', true);
		beat('bob', 'i2');
		beat('carol', 'i3', true);
		beat('carol', 'i4');
		expect(table.members('r').map(m => [m.nick, m.simulated])).toEqual([
			['bob', false],
			['carol', false],
			['sim-bob', true],
		]);
		// Anything but a literal true from a foreign record is not a claim to be simulated.
		expect(decodePresence(Buffer.from(JSON.stringify({nick: 'x', instance: 'i', simulated: 'yes'})), 1)?.simulated).toBeUndefined();
	});

	it('the member list marks simulated users', () => {
		const members = [
			{nick: 'alice', status: 'online' as const, instances: 1},
			{nick: 'sim-bob', status: 'online' as const, instances: 1, simulated: true},
		];
		const {lastFrame, unmount} = render(React.createElement(MemberList, {members, nick: 'alice', width: 24, height: 5}));
		const frame = lastFrame() ?? '';
		expect(frame).toMatch(/sim-bob \(sim\)/);
		expect(frame).not.toMatch(/alice \(sim\)/);
		unmount();
	});
});
