import {memo} from 'react';
import {formatClock} from '../chat/format-time.js';
import type {ChatMessage} from '../chat/message.js';
import {isSystemType} from '../chat/system-line.js';
import {MessageText} from './message-text.js';
import {nickStyle} from './nick-style.js';

export type MessageLineProps = {message: ChatMessage; mention: boolean; own: boolean};

/** What a line kchat cannot vouch for is marked with (see source/chat/origin-mark.ts). */
function OriginTags({m}: {m: ChatMessage}) {
	return (
		<>
			{m.foreign ? (
				<span className="tag foreign" title="not written by kchat as it is (another Kafka client, or someone posing as this nick): the sender is not verified">
					via kafka
				</span>
			) : null}
			{m.duplicateOf === undefined ? null : (
				<span className="tag foreign" title="reuses the id of an earlier message: the earlier one is the real one">
					duplicate id
				</span>
			)}
		</>
	);
}

/** One line: time, nick, text; pending and failed lines of our own say so, foreign records are marked. */
export const MessageLine = memo(function MessageLine({message: m, mention, own}: MessageLineProps) {
	const time = (
		<time className="time" dateTime={new Date(m.timestamp).toISOString()} title={new Date(m.timestamp).toLocaleString()}>
			{formatClock(m.timestamp)}
		</time>
	);
	if (m.type === 'notice') {
		return (
			<div className="line notice">
				{time}
				<span className="text">{m.text}</span>
			</div>
		);
	}
	if (m.type === 'join' || m.type === 'leave') {
		// kchat's own wording with the sender's nick: the record's text is free text anyone could write.
		return (
			<div className="line system" data-id={m.id}>
				{time}
				<span className="text">
					{m.type === 'join' ? '→ ' : '← '}
					<span style={nickStyle(m.user)}>{m.user}</span> {m.type === 'join' ? 'joined' : 'left'} {m.room}
				</span>
				<OriginTags m={m} />
			</div>
		);
	}
	if (isSystemType(m.type)) {
		// A nick change or a quit: the text is kchat's wording, made when the record was decoded (record-codec.ts).
		return (
			<div className="line system" data-id={m.id}>
				{time}
				<span className="text">{m.text}</span>
				<OriginTags m={m} />
			</div>
		);
	}
	const classes = ['line', m.type, m.state, mention ? 'mention' : '', own ? 'own' : ''].filter(Boolean).join(' ');
	return (
		<div className={classes} data-id={m.id}>
			{time}
			{m.type === 'action' ? (
				<span className="text">
					<span className="star">* </span>
					<span className="nick" style={nickStyle(m.user)}>
						{m.user}
					</span>{' '}
					<MessageText text={m.text} />
				</span>
			) : (
				<>
					<span className="nick" style={nickStyle(m.user)}>
						{m.user}
					</span>
					<span className="text">
						<MessageText text={m.text} />
					</span>
				</>
			)}
			<OriginTags m={m} />
			{m.state === 'pending' ? <span className="tag pending">sending…</span> : null}
			{m.state === 'failed' ? <span className="tag failed">not sent: {m.error ?? 'unknown error'}</span> : null}
		</div>
	);
});
