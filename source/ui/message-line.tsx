import {Text} from 'ink';
import {nickColor} from '../chat/nick-color.js';
import type {ViewRow} from './viewport.js';

export type MessageLineProps = {row: ViewRow; width: number};

function rule(label: string, width: number): string {
	const side = Math.max(0, width - label.length - 2);
	const left = Math.min(3, side);
	return `${'─'.repeat(left)} ${label} ${'─'.repeat(side - left)}`;
}

/** One row of the message pane: a row of a chat line, a day-change line or the "new messages" marker. */
export function MessageLine({row, width}: MessageLineProps) {
	if (row.kind === 'day') {
		return (
			<Text dimColor wrap="truncate">
				{rule(row.text, width)}
			</Text>
		);
	}
	if (row.kind === 'marker') {
		return (
			<Text color="red" wrap="truncate">
				{rule('new messages', width)}
			</Text>
		);
	}
	const {head, message} = row;
	const textStyle = {
		dimColor: head.style === 'pending' || head.style === 'event',
		bold: head.mention,
		color: head.style === 'failed' ? 'red' : undefined,
	};
	if (!row.first) {
		return (
			<Text wrap="truncate" {...textStyle}>
				{' '.repeat(row.indent)}
				{row.text}
			</Text>
		);
	}
	if (head.nick === undefined) {
		return (
			<Text wrap="truncate" {...textStyle}>
				{head.time} -- {row.text}
			</Text>
		);
	}
	const nickStyle = head.mention
		? {color: 'black', backgroundColor: 'yellow', bold: true}
		: {color: head.style === 'failed' ? 'red' : nickColor(head.nick), dimColor: head.style === 'pending'};
	const nick = message.type === 'action' ? head.nick : `<${head.nick}>`;
	return (
		<Text wrap="truncate">
			<Text dimColor>{head.time} </Text>
			{message.type === 'action' ? <Text {...textStyle}>* </Text> : null}
			<Text {...nickStyle}>{nick}</Text>
			<Text {...textStyle}> {row.text}</Text>
		</Text>
	);
}
