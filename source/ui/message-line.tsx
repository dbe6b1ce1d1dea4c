import {memo} from 'react';
import {Text} from 'ink';
import {nickColor} from '../chat/nick-color.js';
import type {ViewRow} from './viewport.js';

/** A search shown in the pane: its matches highlighted, the current one most. */
export type Highlight = {query: string; matchId?: string};

export type MessageLineProps = {row: ViewRow; width: number; highlight?: Highlight};

/** Text with the case-insensitive matches of the query set apart. */
function Marked({text, highlight, current}: {text: string; highlight: Highlight | undefined; current: boolean}) {
	const query = highlight?.query.toLowerCase() ?? '';
	if (!query) return <>{text}</>;
	const lower = text.toLowerCase();
	const parts = [];
	let at = 0;
	for (let i = lower.indexOf(query); i !== -1 && query.length > 0; i = lower.indexOf(query, i + query.length)) {
		if (i > at) parts.push(text.slice(at, i));
		parts.push(
			<Text key={i} backgroundColor={current ? 'yellow' : undefined} color={current ? 'black' : 'yellow'} bold inverse={!current}>
				{text.slice(i, i + query.length)}
			</Text>,
		);
		at = i + query.length;
	}
	if (at === 0) return <>{text}</>;
	if (at < text.length) parts.push(text.slice(at));
	return <>{parts}</>;
}

function rule(label: string, width: number): string {
	const side = Math.max(0, width - label.length - 2);
	const left = Math.min(3, side);
	return `${'─'.repeat(left)} ${label} ${'─'.repeat(side - left)}`;
}

/**
 * One row of the message pane: a row of a chat line, a day-change line or the "new messages" marker.
 * Memoised: a line's rows are the same objects while it is unchanged (message-rows.ts), so a new message
 * draws its own rows, not the forty above it.
 */
export const MessageLine = memo(function MessageLine({row, width, highlight}: MessageLineProps) {
	if (row.kind === 'head') {
		return (
			<Text dimColor={!row.loading} color={row.loading ? 'yellow' : undefined} wrap="truncate">
				{row.loading ? row.text : rule(row.text, width)}
			</Text>
		);
	}
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
	const current = highlight?.matchId === message.id;
	const textStyle = {
		dimColor: head.style === 'pending' || head.style === 'event',
		bold: head.mention,
		color: head.style === 'failed' ? 'red' : undefined,
	};
	if (!row.first) {
		return (
			<Text wrap="truncate" {...textStyle}>
				{' '.repeat(row.indent)}
				<Marked text={row.text} highlight={highlight} current={current} />
			</Text>
		);
	}
	// Not vouched for (see origin-mark.ts): yellow, where the nick or a system line's text begins.
	const mark = head.mark ? <Text color="yellow">{head.mark}</Text> : null;
	const badge = head.badge ? <Text color="yellow">{head.badge} </Text> : null;
	if (head.nick === undefined) {
		return (
			<Text wrap="truncate" {...textStyle}>
				{head.time} -- {badge}
				{mark}
				<Marked text={row.text} highlight={highlight} current={current} />
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
			{mark}
			<Text {...nickStyle}>{nick}</Text>
			<Text {...textStyle}>
				{' '}
				{badge}
				<Marked text={row.text} highlight={highlight} current={current} />
			</Text>
		</Text>
	);
});
