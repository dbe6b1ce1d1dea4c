import readline from 'node:readline';
import {connectionFlags, connectionHelp, parseArgs, usageError} from './parse-args.js';
import {defaultNick, openSession} from './session.js';
import {validateNick, validateRoomName} from '../chat/names.js';
import {sanitizeText} from '../chat/sanitize.js';
import {truncateToWidth} from '../chat/wrap.js';

const help = `
  Usage
    $ kchat send --room ROOM [--user NICK] [TEXT...]

  Sends TEXT as one message, or each line of standard input when no TEXT is given, and prints a
  delivery report per message: delivered ROOM [PARTITION] @OFFSET. While the broker is unreachable
  it keeps the messages and retries until --timeout; then it says which were not delivered, exit 1.

  Options
    --room ROOM        the room (Kafka topic); created with 3 partitions when missing
    --user NICK        the sender (default: the config file's user, else $USER)
    --timeout SECONDS  how long to keep retrying (default 60)
${connectionHelp}

  Examples
    $ kchat send --room chat-room-1 "Hello, Kafka Chat!"
    $ printf 'one\\ntwo\\n' | kchat send --room chat-room-1
`;

export async function run(argv: string[]): Promise<number> {
	const cli = parseArgs(argv, help, {
		...connectionFlags,
		room: {type: 'string'},
		user: {type: 'string'},
		timeout: {type: 'string', default: '60'},
	});
	const {room} = cli.flags;
	if (!room) return usageError('send', 'missing --room ROOM');
	const roomProblem = validateRoomName(room);
	if (roomProblem) return usageError('send', roomProblem);
	const nick = defaultNick(cli.flags.user);
	if (!nick) return usageError('send', 'no valid nick: pass --user NICK');
	const nickProblem = validateNick(nick);
	if (nickProblem) return usageError('send', nickProblem);
	const timeout = Number(cli.flags.timeout);
	if (!Number.isFinite(timeout) || timeout <= 0) return usageError('send', `--timeout must be a positive number of seconds, not "${cli.flags.timeout}"`);

	const session = openSession({...cli.flags, nick}, {presence: false, announce: false});
	const deadline = Date.now() + timeout * 1000;
	const failed: string[] = [];
	let expired = false;
	const untilDeadline = <T>(work: Promise<T>): Promise<T> =>
		Promise.race([
			work,
			new Promise<never>((_, reject) => {
				setTimeout(() => reject(new Error(`not delivered within ${timeout} s`)), Math.max(0, deadline - Date.now())).unref();
			}),
		]);

	const sendOne = async (text: string): Promise<void> => {
		if (expired) {
			failed.push(text);
			return;
		}
		try {
			session.service.checkSize(room, text);
		} catch (error) {
			process.stderr.write(`kchat send: ${(error as Error).message}\n`);
			failed.push(text);
			return;
		}
		try {
			const d = await untilDeadline(session.service.send(room, text));
			process.stdout.write(`delivered ${room} [${d.partition}] @${d.offset}\n`);
		} catch (error) {
			expired = Date.now() >= deadline;
			process.stderr.write(`kchat send: ${sanitizeText((error as Error).message)}\n`);
			failed.push(text);
		}
	};

	try {
		try {
			await untilDeadline(session.service.ensureRoom(room));
		} catch (error) {
			expired = true;
			process.stderr.write(`kchat send: cannot reach ${session.brokers.join(',')}: ${sanitizeText(session.store.getState().connection.reason ?? (error as Error).message)}\n`);
		}
		if (cli.input.length > 0) {
			await sendOne(cli.input.join(' '));
		} else {
			const lines = readline.createInterface({input: process.stdin, crlfDelay: Infinity});
			for await (const line of lines) await sendOne(line);
		}
	} finally {
		await session.close();
	}
	if (failed.length > 0) {
		process.stderr.write(`kchat send: ${failed.length} message(s) not delivered:\n`);
		// Each one as a short excerpt: a refused 1 MB message is not echoed whole.
		for (const text of failed) process.stderr.write(`  ${truncateToWidth(sanitizeText(text).replace(/\n/g, ' ⏎ '), 120)}\n`);
		return 1;
	}
	return 0;
}
