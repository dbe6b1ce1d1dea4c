import {createStore, type StoreApi} from 'zustand/vanilla';
import type {ChatMessage} from '../chat/message.js';
import {MessageLog} from '../chat/message-log.js';
import {mentionsNick} from '../chat/mentions.js';
import type {Member} from '../chat/presence-table.js';
import {inputActions, type InputActions, type InputState} from './input-slice.js';
import {INITIAL_VIEW, viewActions, type ViewActions, type ViewState} from './view-slice.js';

export type ConnectionState = 'connecting' | 'online' | 'reconnecting' | 'offline';

export type {Member} from '../chat/presence-table.js';

export type RoomInfo = {name: string; partitions: number};

export type RoomView = {
	name: string;
	/** Mutable on purpose (see MessageLog); `rev` changes whenever it does. */
	log: MessageLog;
	rev: number;
	status: 'joining' | 'live' | 'failed';
	error?: string;
	/** Why the room's topic is missing (deleted): its lines stay on screen until it is created again. */
	gone?: string;
	unread: number;
	mentions: number;
	/** Broker timestamp of the newest line read, from the read marks kept in Kafka. */
	readUpTo: number;
	/** Id of the first line that was unread when the room was last opened: the "new messages" marker. */
	markerId?: string;
	/** Rows scrolled up from the live end; 0 is live. */
	scroll: number;
	/** Older lines are being read from Kafka, or the room's first line is loaded (nothing older). */
	older?: 'loading' | 'start';
	/** The room let its newest lines go to hold older ones (scrolled far back): End reads the live end again. */
	detached?: boolean;
	members: Member[];
};

export type ChatState = InputState & ViewState & ChatData;

export type ChatData = {
	nick: string;
	brokers: string[];
	connection: {state: ConnectionState; reason?: string};
	/** Why messages typed now would be lost at a crash (the outbox cannot write to disk); shown until it can. */
	storageProblem?: string;
	/** Joined rooms in the order they were joined: Alt+N picks the Nth. */
	order: string[];
	rooms: Record<string, RoomView>;
	current?: string;
	/** Rooms in the cluster (joined or not). */
	available: RoomInfo[];
	/** Bumped when a mention arrives in a room that is not on screen: the UI rings the bell on change. */
	bell: number;
	scrollbackCap: number;
	actions: ChatActions;
};

export type ChatActions = InputActions & ViewActions & RoomActions;

export type RoomActions = {
	setNick(nick: string): void;
	setConnection(state: ConnectionState, reason?: string): void;
	setStorageProblem(problem: string | undefined): void;
	setAvailable(rooms: RoomInfo[]): void;
	roomJoining(room: string): void;
	roomLive(room: string): void;
	roomFailed(room: string, error: string): void;
	roomLeft(room: string): void;
	/** The room's topic was deleted: a system line says so (`text`), and why (`reason`). */
	roomGone(room: string, reason: string, text: string): void;
	/**
	 * The room's topic is there again, a system line (`text`) says so; when it is another topic (created
	 * again), the lines so far are retired (their offsets belong to the old one).
	 */
	roomBack(room: string, text: string, newTopic: boolean): void;
	/** Lines from Kafka (history or live) or our own pending ones; one store update for a whole batch. */
	receive(messages: readonly ChatMessage[]): void;
	/** Keeps only the newest `count` lines of a room (a join reads N lines per partition, then keeps N overall). */
	keepNewest(room: string, count: number): void;
	/** A delivery report or failure for one of our own lines. */
	updateMessage(room: string, id: string, change: Partial<ChatMessage>): void;
	/** A local line (command output, errors) in a room, or the current room. */
	notice(text: string, room?: string): void;
	setReadMark(room: string, timestamp: number): void;
	setMembers(room: string, members: Member[]): void;
	selectRoom(room: string): void;
	selectIndex(index: number): void;
	cycleRoom(step: 1 | -1): void;
	/** Alt+A: the next room with unread lines, rooms with mentions first. */
	nextActive(): void;
	scrollBy(rows: number): void;
	scrollToEnd(): void;
	clearRoom(room?: string): void;
	setOlder(room: string, state: RoomView['older']): void;
	/** Older lines read from Kafka; at the cap the newest go and the room is detached. Returns how many were new. */
	receiveOlder(room: string, messages: readonly ChatMessage[]): number;
	/** Newer lines read from Kafka into a detached room; at the cap the oldest go. Returns how many were new. */
	receiveNewer(room: string, messages: readonly ChatMessage[]): number;
	/** A detached room takes live lines again. */
	attachRoom(room: string): void;
	/** Empties a room to read its live end again (End in a detached room). */
	resetRoom(room: string): void;
	/** Marks everything in the current room read (when it is on screen at the live end). */
	markCurrentRead(): void;
};

export type ChatStore = StoreApi<ChatState>;

let noticeSeq = 0;

function emptyRoom(name: string, cap: number): RoomView {
	return {name, log: new MessageLog(cap), rev: 0, status: 'joining', unread: 0, mentions: 0, readUpTo: 0, scroll: 0, members: []};
}

export function createChatStore(init: {nick: string; brokers: string[]; scrollbackCap?: number}): ChatStore {
	return createStore<ChatState>()((set, get) => {
		const patchRoom = (room: string, change: (r: RoomView) => Partial<RoomView>): void => {
			const r = get().rooms[room];
			if (!r) return;
			set({rooms: {...get().rooms, [room]: {...r, ...change(r)}}});
		};

		/** Recounts unread and mentions from the read mark: used when marks arrive after history. */
		const recount = (r: RoomView, nick: string): Pick<RoomView, 'unread' | 'mentions'> => {
			let unread = 0;
			let mentions = 0;
			for (let i = r.log.firstAfter(r.readUpTo); i < r.log.length; i++) {
				const m = r.log.at(i)!;
				if (!countsAsUnread(m, nick)) continue;
				unread++;
				if (mentionsNick(m.text, nick)) mentions++;
			}
			return {unread, mentions};
		};

		// A room still joining is not being read: its history may hold lines newer than the read mark.
		const isWatching = (state: ChatState, room: string): boolean => {
			const r = state.rooms[room];
			return state.current === room && r !== undefined && r.scroll === 0 && r.status !== 'joining' && !r.detached;
		};

		/** Where the "new messages" marker goes when a room is opened: its first unread line. */
		const firstUnread = (r: RoomView, nick: string): string | undefined => {
			if (r.unread === 0) return undefined;
			for (let i = r.log.firstAfter(r.readUpTo); i < r.log.length; i++) {
				const m = r.log.at(i)!;
				if (countsAsUnread(m, nick)) return m.id;
			}
			return undefined;
		};

		const addNotice = (room: string, text: string, timestamp: number): void => {
			get().rooms[room]?.log.add({
				id: `notice:${++noticeSeq}`,
				room,
				user: '*',
				type: 'notice',
				text,
				timestamp,
				partition: Number.MAX_SAFE_INTEGER,
				offset: String(noticeSeq),
				state: 'delivered',
				foreign: false,
			});
		};

		const actions: ChatActions = {
			...inputActions(set, get),
			...viewActions(set, get),
			setNick: nick => set({nick}),
			setConnection: (state, reason) => {
				const c = get().connection;
				if (c.state !== state || c.reason !== reason) set({connection: reason ? {state, reason} : {state}});
			},
			setStorageProblem: problem => {
				if (get().storageProblem !== problem) set({storageProblem: problem});
			},
			setAvailable: available => {
				const sorted = [...available].sort((a, b) => a.name.localeCompare(b.name));
				// The room list is read again every 30 s: the same list must not redraw the screen.
				const current = get().available;
				if (sorted.length === current.length && sorted.every((r, i) => r.name === current[i]!.name && r.partitions === current[i]!.partitions)) return;
				set({available: sorted});
			},
			roomJoining: room => {
				const state = get();
				if (state.rooms[room]) {
					patchRoom(room, () => ({status: 'joining', error: undefined}));
					return;
				}
				set({
					rooms: {...state.rooms, [room]: emptyRoom(room, state.scrollbackCap)},
					order: [...state.order, room],
					current: state.current ?? room,
				});
			},
			roomLive: room => {
				const r = get().rooms[room];
				if (!r) return;
				// The room on screen when its history came in (the one opened at start): its unread lines get the marker too.
				const opened = get().current === room && r.status === 'joining';
				patchRoom(room, () => ({status: 'live', error: undefined, ...(opened ? {markerId: firstUnread(r, get().nick)} : {})}));
				if (opened) actions.markCurrentRead();
			},
			roomFailed: (room, error) => patchRoom(room, () => ({status: 'failed', error})),
			roomLeft: room => {
				const state = get();
				if (!state.rooms[room]) return;
				const rooms = {...state.rooms};
				delete rooms[room];
				const index = state.order.indexOf(room);
				const order = state.order.filter(r => r !== room);
				const current = state.current === room ? (order[Math.min(index, order.length - 1)] ?? undefined) : state.current;
				set({rooms, order, current});
			},
			roomGone: (room, reason, text) => {
				if (!get().rooms[room]) return;
				patchRoom(room, () => ({gone: reason}));
				actions.notice(text, room);
			},
			roomBack: (room, text, newTopic) => {
				const r = get().rooms[room];
				if (!r) return;
				if (newTopic) r.log.retire();
				// Right after the old topic's lines (and the line saying it was deleted): the new topic's are newer.
				let after = 0;
				for (let i = r.log.length - 1; i >= 0 && after === 0; i--) if (r.log.at(i)!.state === 'delivered') after = r.log.at(i)!.timestamp;
				addNotice(room, text, after || Date.now());
				patchRoom(room, x => ({gone: undefined, rev: x.rev + 1}));
			},
			receive: messages => {
				const state = get();
				const rooms = {...state.rooms};
				let bell = state.bell;
				const touched = new Set<string>();
				let counted = false;
				for (const m of messages) {
					const r = rooms[m.room];
					if (!r) continue; // a room left while its batch was in flight
					// A room holding older history without its newest lines: live lines are counted, not shown (End reads them).
					if (r.detached) {
						if (countsAsUnread(m, state.nick) && m.timestamp > r.readUpTo) {
							const mention = mentionsNick(m.text, state.nick);
							rooms[m.room] = {...r, unread: r.unread + 1, mentions: r.mentions + (mention ? 1 : 0)};
							counted = true;
						}
						continue;
					}
					if (r.log.add(m) !== 'added') {
						touched.add(m.room);
						continue;
					}
					touched.add(m.room);
					if (m.timestamp <= r.readUpTo || !countsAsUnread(m, state.nick) || isWatching(state, m.room)) continue;
					const mention = mentionsNick(m.text, state.nick);
					rooms[m.room] = {...r, unread: r.unread + 1, mentions: r.mentions + (mention ? 1 : 0)};
					if (mention && state.current !== m.room) bell++;
				}
				if (touched.size === 0) {
					if (counted) set({rooms});
					return;
				}
				for (const room of touched) {
					const r = rooms[room]!;
					rooms[room] = {...r, rev: r.rev + 1};
				}
				set({rooms, bell});
				// Lines that arrive while the room is on screen at its live end are read at once.
				if (state.current && touched.has(state.current)) actions.markCurrentRead();
			},
			keepNewest: (room, count) => {
				const r = get().rooms[room];
				if (!r || r.log.length <= count) return;
				r.log.keepLast(count);
				patchRoom(room, x => ({rev: x.rev + 1}));
			},
			updateMessage: (room, id, change) => {
				const r = get().rooms[room];
				if (r?.log.update(id, change)) patchRoom(room, x => ({rev: x.rev + 1}));
			},
			notice: (text, room) => {
				const target = room ?? get().current;
				if (!target || !get().rooms[target]) return;
				// After the newest line so a notice shows where the user is looking.
				addNotice(target, text, Math.max(Date.now(), get().rooms[target]!.log.last()?.timestamp ?? 0));
				patchRoom(target, x => ({rev: x.rev + 1}));
			},
			setReadMark: (room, timestamp) => {
				const r = get().rooms[room];
				if (!r || timestamp <= r.readUpTo) return;
				const next = {...r, readUpTo: timestamp};
				patchRoom(room, () => ({readUpTo: timestamp, ...recount(next, get().nick)}));
			},
			setMembers: (room, members) => patchRoom(room, () => ({members})),
			selectRoom: room => {
				const state = get();
				const r = state.rooms[room];
				if (!r || state.current === room) return;
				const first = r.log.at(r.log.firstAfter(r.readUpTo));
				// The marker stays where the unread lines began until another room is opened.
				patchRoom(room, () => ({markerId: r.unread > 0 ? first?.id : undefined}));
				set({current: room});
				actions.markCurrentRead();
			},
			selectIndex: index => {
				const room = get().order[index];
				if (room) actions.selectRoom(room);
			},
			cycleRoom: step => {
				const {order, current} = get();
				if (order.length === 0) return;
				const i = current ? order.indexOf(current) : -1;
				actions.selectRoom(order[(i + step + order.length) % order.length]!);
			},
			nextActive: () => {
				const {order, current, rooms} = get();
				const start = current ? order.indexOf(current) : -1;
				const rotated = [...order.slice(start + 1), ...order.slice(0, start + 1)];
				const target = rotated.find(r => (rooms[r]?.mentions ?? 0) > 0) ?? rotated.find(r => (rooms[r]?.unread ?? 0) > 0);
				if (target) actions.selectRoom(target);
			},
			scrollBy: rows => {
				const room = get().current;
				if (!room) return;
				patchRoom(room, r => ({scroll: Math.max(0, r.scroll + rows)}));
				if (get().rooms[room]?.scroll === 0) actions.markCurrentRead();
			},
			scrollToEnd: () => {
				const room = get().current;
				if (!room) return;
				patchRoom(room, () => ({scroll: 0}));
				actions.markCurrentRead();
			},
			clearRoom: room => {
				const target = room ?? get().current;
				const r = target ? get().rooms[target] : undefined;
				if (!r || !target) return;
				r.log.clear();
				patchRoom(target, x => ({rev: x.rev + 1, scroll: 0, unread: 0, mentions: 0, markerId: undefined}));
			},
			receiveOlder: (room, messages) => {
				const r = get().rooms[room];
				if (!r) return 0;
				let added = 0;
				for (const m of messages) if (r.log.add(m, false) === 'added') added++;
				const over = r.log.length - r.log.capacity;
				// Memory stays bounded: the lines furthest from what is being read (the newest) go.
				if (over > 0) r.log.dropNewest(over + Math.floor(r.log.capacity / 10));
				patchRoom(room, x => ({rev: x.rev + 1, ...(over > 0 ? {detached: true} : {})}));
				return added;
			},
			receiveNewer: (room, messages) => {
				const r = get().rooms[room];
				if (!r) return 0;
				let added = 0;
				for (const m of messages) if (r.log.add(m) === 'added') added++;
				patchRoom(room, x => ({rev: x.rev + 1}));
				return added;
			},
			attachRoom: room => {
				if (get().rooms[room]?.detached) patchRoom(room, () => ({detached: false}));
			},
			resetRoom: room => {
				const r = get().rooms[room];
				if (!r) return;
				r.log.clear();
				patchRoom(room, x => ({rev: x.rev + 1, scroll: 0, detached: false, older: undefined, markerId: undefined}));
			},
			setOlder: (room, older) => {
				if (get().rooms[room] && get().rooms[room]!.older !== older) patchRoom(room, () => ({older}));
			},
			markCurrentRead: () => {
				const room = get().current;
				const r = room ? get().rooms[room] : undefined;
				if (!r || !room || r.scroll !== 0 || r.status === 'joining' || r.detached) return;
				const newest = lastReadable(r.log);
				if (r.unread === 0 && r.mentions === 0 && newest <= r.readUpTo) return;
				patchRoom(room, () => ({unread: 0, mentions: 0, readUpTo: Math.max(r.readUpTo, newest)}));
			},
		};

		return {
			nick: init.nick,
			brokers: init.brokers,
			connection: {state: 'connecting'},
			order: [],
			rooms: {},
			available: [],
			bell: 0,
			scrollbackCap: init.scrollbackCap ?? 10_000,
			inputs: {},
			view: INITIAL_VIEW,
			actions,
		};
	});
}

/** Our own lines, local notices and presence lines never count as unread. */
function countsAsUnread(m: ChatMessage, nick: string): boolean {
	return (m.type === 'message' || m.type === 'action') && m.user !== nick && m.state === 'delivered';
}

/** Timestamp of the newest line that came from Kafka (notices carry local time and do not move the mark). */
function lastReadable(log: MessageLog): number {
	for (let i = log.length - 1; i >= 0; i--) {
		const m = log.at(i)!;
		if (m.type !== 'notice' && m.state === 'delivered') return m.timestamp;
	}
	return 0;
}
