import {describe, expect, it} from 'vitest';
import {CLOSE_CODES, type ClientMessage} from '../../source/chat/web-protocol.js';
import {ClientSession, type SessionHost, type SocketLike} from '../../source/serve/client-session.js';
import {settle} from './support/fake-link.js';

class FakeSocket implements SocketLike {
	sent: string[] = [];
	bufferedAmount = 0;
	closed: {code: number; reason: string} | undefined;
	send(data: Buffer): void {
		this.sent.push(data.toString());
	}
	close(code: number, reason: string): void {
		this.closed = {code, reason};
	}
	terminate(): void {}
}

class FakeHost implements SessionHost {
	handled: ClientMessage[] = [];
	closedCount = 0;
	async hello(): Promise<void> {}
	handle(_s: ClientSession, message: ClientMessage): void {
		this.handled.push(message);
	}
	closed(): void {
		this.closedCount++;
	}
}

const limits = {sendQueueBytes: 1000, frameRate: 5, frameBurst: 10};
const hello = JSON.stringify({t: 'hello', nick: 'alice', instance: 'abcdef0123456789'});

describe('ClientSession', () => {
	it('wants a valid hello first', () => {
		const socket = new FakeSocket();
		const session = new ClientSession(socket, new FakeHost(), limits);
		session.receive(JSON.stringify({t: 'join', room: 'lobby'}));
		expect(socket.closed?.code).toBe(CLOSE_CODES.badHello);
	});

	it('says why a frame is refused, and cuts off a page that keeps sending refused frames', async () => {
		const socket = new FakeSocket();
		const host = new FakeHost();
		const session = new ClientSession(socket, host, {...limits, frameRate: 1000, frameBurst: 1000});
		session.receive(hello);
		await settle();
		session.receive(JSON.stringify({t: 'join', room: 'bad room'}));
		expect(JSON.parse(socket.sent.at(-1)!)).toEqual({t: 'error', error: expect.stringContaining("' ' is not allowed")});
		session.receive(JSON.stringify({t: 'join', room: 'lobby'}));
		expect(host.handled).toEqual([{t: 'join', room: 'lobby'}]);
		for (let i = 0; i < 60 && !socket.closed; i++) session.receive('not json');
		expect(socket.closed?.code).toBe(CLOSE_CODES.policy);
		expect(host.closedCount).toBe(1);
	});

	it('limits the frame rate', async () => {
		const socket = new FakeSocket();
		const host = new FakeHost();
		const session = new ClientSession(socket, host, limits);
		session.receive(hello);
		await settle();
		for (let i = 0; i < 20; i++) session.receive(JSON.stringify({t: 'rooms'}));
		expect(host.handled.length).toBeLessThan(12);
		expect(socket.sent.some(f => f.includes('too many frames'))).toBe(true);
	});

	it('closes a page that does not read fast enough with tooSlow, and sends it nothing more', () => {
		const socket = new FakeSocket();
		const session = new ClientSession(socket, new FakeHost(), limits);
		session.deliver(Buffer.alloc(5000, 'a')); // one large frame alone is not falling behind
		socket.bufferedAmount = 1001;
		session.deliver(Buffer.alloc(600, 'b'));
		expect(socket.closed).toEqual({code: CLOSE_CODES.tooSlow, reason: expect.stringContaining('too slow')});
		session.deliver(Buffer.alloc(1, 'c'));
		expect(socket.sent).toHaveLength(1);
	});
});
