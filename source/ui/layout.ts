// Pane sizes from the terminal size. The frame is kept one row shorter than the terminal: Ink clears
// and redraws the whole screen on every frame when its output is as tall as the terminal.

export const ROOM_LIST_WIDTH = 20;
export const MEMBER_LIST_WIDTH = 18;
/** The message pane's left padding. */
export const MESSAGE_PADDING = 1;
const MIN_MESSAGES_WIDTH = 40;

export type Layout = {
	columns: number;
	/** Rows of the whole frame: terminal rows - 1. */
	height: number;
	/** Rows of the panes (rooms, messages, members). */
	mainHeight: number;
	roomsWidth: number;
	membersWidth: number;
	messagesWidth: number;
	/** Cells a message row may use. */
	textWidth: number;
};

/** `inputRows` and `footerRows` are the rows under the panes (input box; error line and status line). */
export function computeLayout(columns: number, rows: number, showMembers: boolean, inputRows: number, footerRows: number): Layout {
	const cols = Math.max(1, Math.floor(columns));
	const height = Math.max(1, Math.floor(rows) - 1);
	const mainHeight = Math.max(1, height - inputRows - footerRows);
	// Narrow terminals give up the side panes before the messages.
	const roomsWidth = cols >= MIN_MESSAGES_WIDTH + ROOM_LIST_WIDTH ? ROOM_LIST_WIDTH : cols >= MIN_MESSAGES_WIDTH + 10 ? 10 : 0;
	const membersWidth = showMembers && cols - roomsWidth >= MIN_MESSAGES_WIDTH + MEMBER_LIST_WIDTH ? MEMBER_LIST_WIDTH : 0;
	const messagesWidth = cols - roomsWidth - membersWidth;
	return {
		columns: cols,
		height,
		mainHeight,
		roomsWidth,
		membersWidth,
		messagesWidth,
		textWidth: Math.max(1, messagesWidth - MESSAGE_PADDING),
	};
}
