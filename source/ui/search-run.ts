import type {ChatMessage} from '../chat/message.js';
import type {ChatStore} from '../store/chat-store.js';
import type {SearchState} from '../store/view-slice.js';
import type {HistoryResult} from './chat-controller.js';

// Search in the current room: case-insensitive plain text, newest match first, through the lines loaded
// and then through older history read from Kafka a page at a time, back to the start of the room. The
// match shown and the query are in the store (the pane highlights them); a newer search or Esc cancels
// a read that is still going.

/** Lines read from Kafka per step while looking for an older match. */
export const SEARCH_PAGE = 500;

export type SearchDeps = {
	store: ChatStore;
	loadOlder: (room: string, lines: number) => Promise<HistoryResult>;
	/** Scrolls the message pane to a line. */
	showLine: (id: string) => void;
	/** A line under the input (no match, the start reached). */
	report: (text: string) => void;
};

type LogLike = {readonly length: number; at(index: number): ChatMessage | undefined};

/** Whether a line holds the query (case-insensitive); local notices are not searched. */
export function matches(m: ChatMessage, lowerQuery: string): boolean {
	return m.type !== 'notice' && lowerQuery !== '' && m.text.toLowerCase().includes(lowerQuery);
}

function indexOf(log: LogLike, id: string | undefined): number | undefined {
	if (id === undefined) return undefined;
	for (let i = log.length - 1; i >= 0; i--) if (log.at(i)?.id === id) return i;
	return undefined;
}

export class SearchRun {
	/** Bumped by every new search step and by stop(): a read from Kafka for an older one is then ignored. */
	private generation = 0;
	private lastQuery = '';

	constructor(private readonly deps: SearchDeps) {}

	private get state(): SearchState | undefined {
		return this.deps.store.getState().view.search;
	}

	private set(change: Partial<SearchState>): void {
		const s = this.state;
		if (s) this.deps.store.getState().actions.setSearch({...s, ...change});
	}

	/** Ctrl+R: the prompt, with the last query to start from. */
	prompt(): void {
		const room = this.deps.store.getState().current;
		if (!room) return;
		this.generation++;
		this.deps.store.getState().actions.setSearch({room, query: this.lastQuery, phase: 'prompt', status: 'idle', count: 0, index: 0});
	}

	start(query: string): void {
		const room = this.deps.store.getState().current;
		if (!room || query.trim() === '') {
			this.stop();
			return;
		}
		this.lastQuery = query;
		this.deps.store.getState().actions.setSearch({room, query, phase: 'results', status: 'idle', count: 0, index: 0});
		void this.seek(1);
	}

	/** The next older (1) or newer (-1) match. */
	step(direction: 1 | -1): void {
		void this.seek(direction);
	}

	stop(): void {
		this.generation++;
		if (this.state) this.deps.store.getState().actions.setSearch(undefined);
	}

	private log(room: string): LogLike | undefined {
		return this.deps.store.getState().rooms[room]?.log;
	}

	/** Index of the next match from `from` (exclusive) in `direction`, among the lines loaded. */
	private next(log: LogLike, from: number, direction: 1 | -1, lower: string, stopAt = -1): number | undefined {
		for (let i = from - direction; direction === 1 ? i > stopAt : i < log.length; i -= direction) {
			const m = log.at(i);
			if (m && matches(m, lower)) return i;
		}
		return undefined;
	}

	private show(log: LogLike, index: number, lower: string): void {
		let count = 0;
		let position = 0;
		for (let i = log.length - 1; i >= 0; i--) {
			const m = log.at(i);
			if (!m || !matches(m, lower)) continue;
			count++;
			if (i === index) position = count;
		}
		const id = log.at(index)!.id;
		this.set({matchId: id, status: 'idle', count, index: position});
		this.deps.showLine(id);
	}

	private async seek(direction: 1 | -1): Promise<void> {
		const s = this.state;
		if (!s || s.phase !== 'results') return;
		const generation = ++this.generation;
		const lower = s.query.toLowerCase();
		let log = this.log(s.room);
		if (!log) return;
		const current = indexOf(log, s.matchId);
		const from = current ?? (direction === 1 ? log.length : -1);
		const found = this.next(log, from, direction, lower);
		if (found !== undefined) {
			this.show(log, found, lower);
			return;
		}
		if (direction === -1) {
			this.deps.report(`no newer match for "${s.query}"`);
			return;
		}
		// Nothing older among the lines loaded: read older ones from Kafka until one matches or the room starts.
		this.set({status: 'searching'});
		for (;;) {
			const oldest = log.at(0)?.id;
			let result: HistoryResult;
			try {
				result = await this.deps.loadOlder(s.room, SEARCH_PAGE);
			} catch {
				if (generation === this.generation) this.set({status: 'idle'});
				return;
			}
			if (generation !== this.generation) return;
			log = this.log(s.room);
			if (!log) return;
			// Only the lines that came in before the old first one are new.
			const end = oldest === undefined ? log.length : (indexOf(log, oldest) ?? log.length);
			const hit = this.next(log, end, 1, lower);
			if (hit !== undefined) {
				this.show(log, hit, lower);
				return;
			}
			if (result.start || result.loaded === 0) {
				this.set({status: 'start'});
				this.deps.report(`no ${s.matchId ? 'older ' : ''}match for "${s.query}": the start of ${s.room} is reached`);
				return;
			}
		}
	}
}
