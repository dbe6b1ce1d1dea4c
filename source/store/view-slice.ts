// What the screen shows besides the chat: the help, the member list, a note under the input, a search.
// In the store (not React state) for the same reason as the input: keys of one read are handled one
// after the other, and the second must see what the first did (F1 then PgDn scrolls the help).

export type SearchState = {
	room: string;
	query: string;
	/** 'prompt': the query is being typed; 'results': n/N/Ctrl+R move between matches. */
	phase: 'prompt' | 'results';
	/** The match shown (a line id), when there is one. */
	matchId?: string;
	/** Reading older history from Kafka for more matches; or the start of the room was reached. */
	status: 'idle' | 'searching' | 'start';
	/** Matches found so far among the lines loaded, and which of them (1 = the newest) is shown. */
	count: number;
	index: number;
};

export type ViewState = {
	view: {
		help: boolean;
		helpOffset: number;
		members: boolean;
		/** A line under the input: an error the user can fix, or a hint (Tab candidates). */
		note?: {text: string; error: boolean};
		search?: SearchState;
	};
};

export type ViewActions = {
	openHelp(): void;
	closeHelp(): void;
	scrollHelp(rows: number, max: number): void;
	toggleMembers(): void;
	setNote(text?: string, error?: boolean): void;
	setSearch(search: SearchState | undefined): void;
};

type Get = () => ViewState;
type Set = (partial: Partial<ViewState>) => void;

export const INITIAL_VIEW: ViewState['view'] = {help: false, helpOffset: 0, members: true};

export function viewActions(set: Set, get: Get): ViewActions {
	const patch = (change: Partial<ViewState['view']>): void => set({view: {...get().view, ...change}});
	return {
		openHelp: () => patch({help: true, helpOffset: 0}),
		closeHelp: () => {
			if (get().view.help) patch({help: false});
		},
		scrollHelp: (rows, max) => patch({helpOffset: Math.max(0, Math.min(max, get().view.helpOffset + rows))}),
		toggleMembers: () => patch({members: !get().view.members}),
		setNote: (text, error = false) => {
			const note = get().view.note;
			if (text === undefined ? note === undefined : note?.text === text && note.error === error) return;
			patch({note: text === undefined ? undefined : {text, error}});
		},
		setSearch: search => patch({search}),
	};
}
