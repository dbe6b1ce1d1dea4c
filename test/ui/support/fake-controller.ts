import type {RoomInfo} from '../../../source/store/chat-store.js';
import type {ChatController, HistoryResult} from '../../../source/ui/chat-controller.js';

export type Call = {method: keyof ChatController; args: unknown[]};

export type FakeController = ChatController & {
	calls: Call[];
	callsOf(method: keyof ChatController): unknown[][];
	/** What the next calls do instead of succeeding. */
	behaviour: {
		checkSize?: (room: string, text: string) => void;
		setNick?: (nick: string) => void;
		join?: (room: string) => Promise<void>;
		rooms?: RoomInfo[];
		history?: (room: string, lines: number) => Promise<HistoryResult>;
	};
};

/** A ChatController that records every call and succeeds (not a kafkajs mock: the UI's side of the seam). */
export function fakeController(): FakeController {
	const calls: Call[] = [];
	const behaviour: FakeController['behaviour'] = {};
	const record = (method: keyof ChatController, args: unknown[]): void => {
		calls.push({method, args});
	};
	return {
		calls,
		behaviour,
		callsOf: method => calls.filter(c => c.method === method).map(c => c.args),
		join(room, options) {
			record('join', options === undefined ? [room] : [room, options]);
			return behaviour.join ? behaviour.join(room) : Promise.resolve();
		},
		leave(room) {
			record('leave', [room]);
			return Promise.resolve();
		},
		send(room, text, type) {
			record('send', type === undefined ? [room, text] : [room, text, type]);
			return Promise.resolve();
		},
		checkSize(room, text) {
			record('checkSize', [room, text]);
			behaviour.checkSize?.(room, text);
		},
		setNick(nick) {
			record('setNick', [nick]);
			behaviour.setNick?.(nick);
		},
		rooms() {
			record('rooms', []);
			return Promise.resolve(behaviour.rooms ?? []);
		},
		history(room, lines) {
			record('history', [room, lines]);
			return behaviour.history ? behaviour.history(room, lines) : Promise.resolve({loaded: 0, start: true});
		},
		newer(room, lines) {
			record('newer', [room, lines]);
			return Promise.resolve({loaded: 0, live: true});
		},
		toLive(room) {
			record('toLive', [room]);
			return Promise.resolve();
		},
	};
}
