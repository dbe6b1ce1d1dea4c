import WebSocket from 'ws';
import type {Member} from '../../../source/chat/presence-table.js';
import {applyMembers, type ClientMessage, type ServerMessage} from '../../../source/chat/web-protocol.js';

/** A page as the gateway sees it, without a browser: a ws client speaking the protocol, keeping every frame. */
export class WsPage {
	readonly frames: ServerMessage[] = [];
	closed: {code: number; reason: string} | undefined;
	private readonly waiters = new Set<() => void>();

	private constructor(readonly socket: WebSocket) {
		socket.on('message', data => {
			this.frames.push(JSON.parse(data.toString()) as ServerMessage);
			this.wake();
		});
		socket.on('close', (code, reason) => {
			this.closed = {code, reason: reason.toString()};
			this.wake();
		});
	}

	/** Opens the socket as the page would (its own Origin, the kchat.v1 subprotocol, a token if given). */
	static open(wsUrl: string, options: {origin?: string | null; host?: string; token?: string} = {}): Promise<WsPage> {
		const url = new URL(wsUrl);
		const protocols = ['kchat.v1', ...(options.token ? [`kchat.token.${Buffer.from(options.token).toString('base64url')}`] : [])];
		const headers: Record<string, string> = {};
		if (options.origin !== null) headers['Origin'] = options.origin ?? `http://${url.host}`;
		if (options.host) headers['Host'] = options.host;
		const socket = new WebSocket(wsUrl, protocols, {headers});
		return new Promise((resolve, reject) => {
			socket.once('open', () => resolve(new WsPage(socket)));
			socket.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
			socket.once('error', reject);
		});
	}

	/** The HTTP status an upgrade is refused with (or 101 when it is accepted). */
	static async status(wsUrl: string, options: {origin?: string | null; host?: string; token?: string} = {}): Promise<number> {
		try {
			const page = await WsPage.open(wsUrl, options);
			page.socket.close();
			return 101;
		} catch (error) {
			return Number(/refused: (\d+)/.exec((error as Error).message)?.[1] ?? 0);
		}
	}

	send(message: ClientMessage | Record<string, unknown>): void {
		this.socket.send(JSON.stringify(message));
	}

	/** Resolves with the first frame (from `from` on) that matches; on every frame, not by polling. */
	waitFor<T extends ServerMessage['t']>(t: T, test: (f: Extract<ServerMessage, {t: T}>) => boolean = () => true, what: string = t, ms = 20_000, from = 0): Promise<Extract<ServerMessage, {t: T}>> {
		return this.until(() => this.frames.slice(from).find(f => f.t === t && test(f as Extract<ServerMessage, {t: T}>)) as Extract<ServerMessage, {t: T}> | undefined, what, ms);
	}

	/** Resolves when `check` returns something (checked now and on every frame or close). */
	until<R>(check: () => R | undefined, what: string, ms = 20_000): Promise<R> {
		return new Promise((resolve, reject) => {
			const test = (): boolean => {
				const result = check();
				if (result === undefined || result === false) return false;
				clearTimeout(timer);
				this.waiters.delete(waiter);
				resolve(result);
				return true;
			};
			const waiter = (): void => void test();
			const timer = setTimeout(() => {
				this.waiters.delete(waiter);
				reject(new Error(`timed out after ${ms} ms waiting for ${what}; last frames: ${JSON.stringify(this.frames.slice(-3)).slice(0, 600)}; closed: ${JSON.stringify(this.closed)}`));
			}, ms);
			if (!test()) this.waiters.add(waiter);
		});
	}

	/** Every message of a room received, in arrival order. */
	messages(room: string): Array<{id: string; text: string; user: string; partition: number; offset: string; type: string}> {
		return this.frames.flatMap(f => (f.t === 'msgs' && f.room === room ? f.m : []));
	}

	/** The room's member list as the page has it: the last whole list, with every change after it applied. */
	members(room: string): string[] {
		let members: Member[] = [];
		for (const f of this.frames) {
			if (f.t === 'members' && f.room === room) members = f.members;
			if (f.t === 'members-changed' && f.room === room) members = applyMembers(members, f.changed, f.gone);
		}
		return members.map(m => m.nick);
	}

	/** hello, then waits for the welcome. */
	async hello(nick: string, instance = `inst${Math.random().toString(36).slice(2, 12)}`): Promise<void> {
		this.send({t: 'hello', nick, instance});
		await this.waitFor('welcome');
	}

	/** join, then waits until the room is live. */
	async join(room: string, extra: Partial<Extract<ClientMessage, {t: 'join'}>> = {}): Promise<Extract<ServerMessage, {t: 'live'}>> {
		const from = this.frames.length;
		this.send({t: 'join', room, ...extra});
		return this.waitFor('live', f => f.room === room, `${room} live`, 20_000, from);
	}

	close(): void {
		this.socket.close();
	}

	private wake(): void {
		for (const waiter of [...this.waiters]) waiter();
	}
}
