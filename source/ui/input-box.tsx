import {memo, useRef} from 'react';
import {Box, Text} from 'ink';
import {layoutBuffer, type BufferLayout, type BufferRow, type TextBuffer} from '../chat/text-buffer.js';
import {cellWidth, graphemes, truncateToWidth} from '../chat/wrap.js';

// The input editor's view: the prompt `[room] `, then the text of the current room's input buffer with
// its cursor, rows hanging under the first. It only draws the model (source/chat/text-buffer.ts); keys
// change the model through the store.

export function promptFor(room: string | undefined, width: number): string {
	return `[${truncateToWidth(room ?? 'no room', Math.max(4, Math.floor(width / 3)))}] `;
}

/** The box grows with its text up to a third of the terminal's rows, then scrolls. */
export function maxInputRows(terminalRows: number): number {
	return Math.max(1, Math.floor(terminalRows / 3));
}

let last: {buffer: TextBuffer; width: number; layout: BufferLayout} | undefined;

/** The buffer's layout at a text width (the App asks for its height, the box for its rows: once per change). */
export function inputLayout(buffer: TextBuffer, width: number): BufferLayout {
	if (last?.buffer === buffer && last.width === width) return last.layout;
	const layout = layoutBuffer(buffer, width);
	last = {buffer, width, layout};
	return layout;
}

/** Cells a row of the input has for text: the terminal's width less the prompt's. */
export function inputTextWidth(room: string | undefined, columns: number): number {
	return Math.max(2, columns - cellWidth(promptFor(room, columns)));
}

type RowProps = {row: BufferRow; cursor: number | undefined};

/** One row, the cursor's cell drawn inverted; a collapsed paste shown as its label. */
function InputRow({row, cursor}: RowProps) {
	const pieces = row.parts.flatMap((part, i) => {
		if (cursor === undefined || cursor < part.start || cursor >= part.end) {
			return [
				<Text key={i} dimColor={part.atom} underline={part.atom}>
					{part.text}
				</Text>,
			];
		}
		if (part.atom) {
			return [
				<Text key={i} inverse underline>
					{part.text}
				</Text>,
			];
		}
		// The cursor's grapheme cluster inverted.
		const offset = cursor - part.start;
		const after = part.text.slice(offset);
		const under = graphemes(after).next().value ?? ' ';
		return [
			<Text key={`${i}a`}>{part.text.slice(0, offset)}</Text>,
			<Text key={`${i}b`} inverse>
				{under}
			</Text>,
			<Text key={`${i}c`}>{after.slice(under.length)}</Text>,
		];
	});
	// At the end of a line: an inverted space after the text.
	if (cursor === row.end) {
		pieces.push(
			<Text key="cursor" inverse>
				{' '}
			</Text>,
		);
	}
	return <Text wrap="truncate">{pieces.length > 0 ? pieces : ' '}</Text>;
}

export type InputBoxProps = {buffer: TextBuffer; room: string | undefined; width: number; rows: number};

/** The prompt and the current room's input; `rows` tall, showing the rows around the cursor. */
export const InputBox = memo(function InputBox({buffer, room, width, rows}: InputBoxProps) {
	const prompt = promptFor(room, width);
	const indent = cellWidth(prompt);
	const layout = inputLayout(buffer, Math.max(2, width - indent));
	// The window of rows on screen moves only as far as the cursor needs.
	const top = useRef(0);
	top.current = Math.max(0, Math.min(top.current, layout.cursorRow, layout.rows.length - rows), layout.cursorRow - rows + 1);
	const shown = layout.rows.slice(top.current, top.current + rows);
	return (
		<Box width={width} height={rows} flexDirection="column" overflow="hidden">
			{shown.map((row, i) => {
				const index = top.current + i;
				return (
					<Box key={index} flexDirection="row" height={1}>
						<Box width={indent} flexShrink={0}>
							<Text color="cyan" bold wrap="truncate">
								{index === 0 ? prompt : ' '}
							</Text>
						</Box>
						<InputRow row={row} cursor={index === layout.cursorRow ? buffer.cursor : undefined} />
					</Box>
				);
			})}
		</Box>
	);
});
