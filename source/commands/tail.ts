import {print, whenStdoutCloses} from './output.js';
import {connectionFlags, connectionHelp, parseArgs, usageError, wholeNumber} from './parse-args.js';
import {defaultNick, openSession} from './session.js';
import type {ChatMessage} from '../chat/message.js';
import {compareMessages} from '../chat/message-order.js';
import {DUPLICATE_ID_BADGE, originMark} from '../chat/origin-mark.js';
import {IdBook} from '../chat/same-id.js';
import {isSystemType} from '../chat/system-line.js';
import {validateRoomName} from '../chat/names.js';
import {formatClock} from '../chat/format-time.js';
import {sanitizeText} from '../chat/sanitize.js';
import {isNewTopic} from '../chat/room-notices.js';

const help = `
  Usage
    $ kchat tail --room ROOM [--room ROOM2 ...] [--from-beginning | --last N] [--exit-at-end] [--json]

  Prints the messages of one or more rooms as they arrive: HH:MM:SS ROOM <nick> text, sanitised,
  one line per message (line breaks in a message shown as ⏎; --json keeps them as \n). ?<nick>: a
  record kchat did not write as it is (its nick is unverified); [duplicate id]: a record that reused
  an earlier message's id (the earlier one is the real one).
  Messages go to standard output; status and errors to standard error.

  Options
    --room ROOM        a room to follow (repeatable)
    --from-beginning   start at the oldest message
    --last N           start with the last N messages (default 10)
    --exit-at-end      exit once caught up with the end of every partition (like kcat -e)
    --json             one JSON object per line: room, partition, offset, timestamp, id, user, type, text,
                       foreign, duplicateId
    --user NICK        nick for the consumer's client id (default: $USER)
${connectionHelp}
`;

/** How a line break inside a message is printed in text mode: one message is always one line of output. */
export const LINE_BREAK_MARK = '⏎';

export function formatLine(m: ChatMessage): string {
	const clock = formatClock(m.timestamp);
	const mark = originMark(m);
	const badge = m.duplicateOf === undefined ? '' : `${DUPLICATE_ID_BADGE} `;
	const prefix =
		m.type === 'action'
			? `${clock} ${m.room} * ${mark}${m.user} ${badge}`
			: isSystemType(m.type)
				? `${clock} ${m.room} -- ${badge}${mark}`
				: `${clock} ${m.room} ${mark}<${m.user}> ${badge}`;
	// A multi-line message stays on one line (grep, wc -l and head count messages); --json has it whole.
	return prefix + m.text.replace(/\n/g, LINE_BREAK_MARK);
}

export function formatJson(m: ChatMessage): string {
	return JSON.stringify({
		room: m.room,
		partition: m.partition,
		offset: m.offset,
		timestamp: m.timestamp,
		id: m.duplicateOf ?? m.id,
		user: m.user,
		type: m.type,
		text: m.text,
		foreign: m.foreign,
		duplicateId: m.duplicateOf !== undefined,
	});
}

export async function run(argv: string[]): Promise<number> {
	const cli = parseArgs('tail', argv, help, {
		...connectionFlags,
		room: {type: 'string', isMultiple: true},
		user: {type: 'string'},
		fromBeginning: {type: 'boolean', default: false},
		last: {type: 'string'},
		exitAtEnd: {type: 'boolean', default: false},
		json: {type: 'boolean', default: false},
	});
	if (typeof cli === 'number') return cli;
	const rooms = cli.flags.room ?? [];
	if (rooms.length === 0) return usageError('tail', 'missing --room ROOM');
	for (const room of rooms) {
		const problem = validateRoomName(room);
		if (problem) return usageError('tail', problem);
	}
	if (cli.flags.fromBeginning && cli.flags.last !== undefined) return usageError('tail', '--from-beginning and --last cannot be used together');
	const last = wholeNumber('tail', '--last', cli.flags.last, 0, Number.MAX_SAFE_INTEGER) ?? 10;
	const history = cli.flags.fromBeginning ? Infinity : last;
	const nick = defaultNick(cli.flags.user) ?? 'kchat-tail';

	const format = cli.flags.json ? formatJson : formatLine;
	// A kchat-id seen before: a repeat is not printed again, a record reusing it is printed marked.
	const book = new IdBook();
	const show = (m: ChatMessage): void => {
		const line = book.admit(m);
		if (line) print(format(line) + '\n');
	};
	const buffers = new Map<string, ChatMessage[]>(rooms.map(r => [r, []]));
	const session = openSession({...cli.flags, nick}, {
		presence: false,
		announce: false,
		headless: true,
		historySize: history,
		onMessages: messages => {
			for (const m of messages) {
				const buffer = buffers.get(m.room);
				if (buffer) buffer.push(m);
				else show(m);
			}
		},
		onRoomEvent: event => {
			if (!rooms.includes(event.room)) return;
			process.stderr.write(`kchat tail: ${event.text}\n`);
			// A new topic's offsets start at 0 again: a record without a kchat-id at a position printed before is another record.
			if (event.kind === 'back' && isNewTopic(event.by)) book.forget(id => id.startsWith(`${event.room}/`));
		},
	});

	// Ctrl+C, a kill, or a reader that went away (`| head -1`): stop quietly, exit 0.
	let stop: () => void = () => {};
	const stopped = new Promise<void>(resolve => (stop = resolve));
	const onSignal = (): void => stop();
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	whenStdoutCloses(onSignal);
	let interrupted = false;
	void stopped.then(() => (interrupted = true));
	try {
		const started = session.service.start();
		const timer = setTimeout(() => {
			const reason = session.store.getState().connection.reason;
			if (reason) process.stderr.write(`kchat tail: waiting for Kafka: ${sanitizeText(reason)}\n`);
		}, 3000);
		timer.unref();
		await Promise.race([started, stopped]);
		clearTimeout(timer);
		session.logger.debug('tail: connected', {sinceProcessStartMs: Math.round(performance.now())});
		for (const room of rooms) {
			await Promise.race([session.service.join(room), stopped]);
			if (interrupted) break;
			// History arrives per partition: print it in the room's order, then stream.
			const buffer = (buffers.get(room) ?? []).sort(compareMessages);
			buffers.delete(room);
			for (const m of history === Infinity ? buffer : buffer.slice(-history)) show(m);
			session.logger.debug('tail: following', {room, sinceProcessStartMs: Math.round(performance.now())});
			if (!cli.flags.json) process.stderr.write(`kchat tail: following ${room}\n`);
		}
		if (!cli.flags.exitAtEnd) await stopped;
	} catch (error) {
		process.stderr.write(`kchat tail: ${sanitizeText((error as Error).message)}\n`);
		return 1;
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		await session.close();
	}
	return 0;
}
