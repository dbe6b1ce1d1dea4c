import {connectionFlags, connectionHelp, parseArgs, usageError} from './parse-args.js';
import {defaultNick, openSession} from './session.js';
import type {ChatMessage} from '../chat/message.js';
import {compareMessages} from '../chat/message-order.js';
import {validateRoomName} from '../chat/names.js';
import {formatClock} from '../chat/format-time.js';
import {sanitizeText} from '../chat/sanitize.js';

const help = `
  Usage
    $ kchat tail --room ROOM [--room ROOM2 ...] [--from-beginning | --last N] [--exit-at-end] [--json]

  Prints the messages of one or more rooms as they arrive: HH:MM:SS ROOM <nick> text, sanitised,
  one line per message (line breaks in a message shown as ⏎; --json keeps them as \n).
  Messages go to standard output; status and errors to standard error.

  Options
    --room ROOM        a room to follow (repeatable)
    --from-beginning   start at the oldest message
    --last N           start with the last N messages (default 10)
    --exit-at-end      exit once caught up with the end of every partition (like kcat -e)
    --json             one JSON object per line: room, partition, offset, timestamp, id, user, type, text
    --user NICK        nick for the consumer's client id (default: $USER)
${connectionHelp}
`;

/** How a line break inside a message is printed in text mode: one message is always one line of output. */
export const LINE_BREAK_MARK = '⏎';

export function formatLine(m: ChatMessage): string {
	const clock = formatClock(m.timestamp);
	const prefix =
		m.type === 'action' ? `${clock} ${m.room} * ${m.user} ` : m.type === 'join' || m.type === 'leave' ? `${clock} ${m.room} -- ` : `${clock} ${m.room} <${m.user}> `;
	// A multi-line message stays on one line (grep, wc -l and head count messages); --json has it whole.
	return prefix + m.text.replace(/\n/g, LINE_BREAK_MARK);
}

export function formatJson(m: ChatMessage): string {
	return JSON.stringify({room: m.room, partition: m.partition, offset: m.offset, timestamp: m.timestamp, id: m.id, user: m.user, type: m.type, text: m.text});
}

export async function run(argv: string[]): Promise<number> {
	const cli = parseArgs(argv, help, {
		...connectionFlags,
		room: {type: 'string', isMultiple: true},
		user: {type: 'string'},
		fromBeginning: {type: 'boolean', default: false},
		last: {type: 'string'},
		exitAtEnd: {type: 'boolean', default: false},
		json: {type: 'boolean', default: false},
	});
	const rooms = cli.flags.room ?? [];
	if (rooms.length === 0) return usageError('tail', 'missing --room ROOM');
	for (const room of rooms) {
		const problem = validateRoomName(room);
		if (problem) return usageError('tail', problem);
	}
	if (cli.flags.fromBeginning && cli.flags.last !== undefined) return usageError('tail', '--from-beginning and --last cannot be used together');
	const last = cli.flags.last === undefined ? 10 : Number(cli.flags.last);
	if (!Number.isInteger(last) || last < 0) return usageError('tail', `--last must be a whole number, not "${cli.flags.last}"`);
	const history = cli.flags.fromBeginning ? Infinity : last;
	const nick = defaultNick(cli.flags.user) ?? 'kchat-tail';

	const format = cli.flags.json ? formatJson : formatLine;
	const printed = new Set<string>();
	const print = (m: ChatMessage): void => {
		if (printed.has(m.id)) return;
		printed.add(m.id);
		// Bounded memory on a long tail: forget the oldest ids (re-deliveries are recent).
		if (printed.size > 200_000) printed.delete(printed.values().next().value!);
		process.stdout.write(format(m) + '\n');
	};
	const buffers = new Map<string, ChatMessage[]>(rooms.map(r => [r, []]));
	const session = openSession({...cli.flags, nick}, {
		presence: false,
		announce: false,
		historySize: history,
		onMessages: messages => {
			for (const m of messages) {
				const buffer = buffers.get(m.room);
				if (buffer) buffer.push(m);
				else print(m);
			}
		},
	});

	let stop: () => void = () => {};
	const stopped = new Promise<void>(resolve => (stop = resolve));
	const onSignal = (): void => stop();
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	try {
		const started = session.service.start();
		const timer = setTimeout(() => {
			const reason = session.store.getState().connection.reason;
			if (reason) process.stderr.write(`kchat tail: waiting for Kafka: ${sanitizeText(reason)}\n`);
		}, 3000);
		await Promise.race([started, stopped]);
		clearTimeout(timer);
		for (const room of rooms) {
			await Promise.race([session.service.join(room), stopped]);
			// History arrives per partition: print it in the room's order, then stream.
			const buffer = (buffers.get(room) ?? []).sort(compareMessages);
			buffers.delete(room);
			for (const m of history === Infinity ? buffer : buffer.slice(-history)) print(m);
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
