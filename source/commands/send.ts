import readline from 'node:readline';
import {print} from './output.js';
import {connectionFlags, connectionHelp, parseArgs, quoteArg, usageError} from './parse-args.js';
import {defaultNick, openSession} from './session.js';
import {backoffDelay} from '../chat/backoff.js';
import {validateNick, validateRoomName} from '../chat/names.js';
import {sanitizeText} from '../chat/sanitize.js';
import {truncateToWidth} from '../chat/wrap.js';
import {describeKafkaError, isRefusal} from '../kafka/kafka-client.js';

const help = `
  Usage
    $ kchat send --room ROOM [--user NICK] [-q] [--timeout SECONDS] [--] [TEXT...]

  Sends TEXT as one message, or each line of standard input when no TEXT is given (blank lines are
  skipped and counted), and prints a delivery report per message, in order: delivered ROOM
  [PARTITION] @OFFSET. Lines from standard input are sent as they come, without waiting for the
  previous one's acknowledgement; Kafka keeps their order. A message the broker has not taken within
  --timeout seconds of being read (the broker is unreachable) is reported as not delivered, exit 1;
  the others go on, so \`tail -f app.log | kchat send --room ops\` runs for as long as its input does.
  After \`--\` every word is text (\`kchat send --room r -- --help\` sends "--help").

  Options
    --room ROOM        the room (Kafka topic); created with 3 partitions when missing
    --user NICK        the sender (default: the config file's user, else $USER)
    -q, --quiet        no delivery reports: only errors
    --timeout SECONDS  how long one message may wait for the broker (default 60)
${connectionHelp}

  Examples
    $ kchat send --room chat-room-1 "Hello, Kafka Chat!"
    $ printf 'one\\ntwo\\n' | kchat send --room chat-room-1
`;

/** Messages read but not yet settled, at most: beyond it reading stdin waits (bounded memory). */
const MAX_PENDING = 10_000;

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

export async function run(argv: string[]): Promise<number> {
	const cli = parseArgs('send', argv, help, {
		...connectionFlags,
		room: {type: 'string'},
		user: {type: 'string'},
		quiet: {type: 'boolean', shortFlag: 'q', default: false},
		timeout: {type: 'string', default: '60'},
	});
	if (typeof cli === 'number') return cli;
	const {room, quiet} = cli.flags;
	if (!room) return usageError('send', 'missing --room ROOM');
	const roomProblem = validateRoomName(room);
	if (roomProblem) return usageError('send', roomProblem);
	const nick = defaultNick(cli.flags.user);
	if (!nick) return usageError('send', 'no valid nick: pass --user NICK');
	const nickProblem = validateNick(nick);
	if (nickProblem) return usageError('send', nickProblem);
	const timeout = Number(cli.flags.timeout);
	if (!/^\s*\d*\.?\d+\s*$/.test(cli.flags.timeout) || !(timeout > 0)) return usageError('send', `--timeout must be a number of seconds above 0, not "${quoteArg(cli.flags.timeout)}"`);
	const text = cli.input.length > 0 ? cli.input.join(' ') : undefined;
	if (text !== undefined && text.trim() === '') return usageError('send', 'the message is empty: nothing to send');

	const session = openSession({...cli.flags, nick}, {presence: false, announce: false, headless: true});
	const {service} = session;
	const timeoutMs = timeout * 1000;
	const failed: string[] = [];
	let lastReason: string | undefined;
	const fail = (line: string, reason: string): void => {
		failed.push(line);
		// The same reason for a run of lines (an outage, a refused room) is said once; the lines are listed at the end.
		if (reason !== lastReason) process.stderr.write(`kchat send: ${sanitizeText(reason)}\n`);
		lastReason = reason;
	};

	// The room is made (when missing) once; until then lines wait, each for at most its own timeout. A
	// broker that answers "no" (a name that collides, no permission) is not asked again.
	let refusal: string | undefined;
	let ready = false;
	const roomReady = (async () => {
		for (let attempt = 0; ; attempt++) {
			try {
				await service.ensureRoom(room);
				ready = true;
				return;
			} catch (error) {
				if (isRefusal(error)) {
					refusal = describeKafkaError(error, session.security);
					return;
				}
				session.logger.warn('send: room not ready, retrying', {room, error: describeKafkaError(error, session.security)});
				await sleep(backoffDelay(attempt, {base: 250, max: 2000}));
			}
		}
	})();
	const whyWaiting = (): string => {
		const reason = session.store.getState().connection.reason;
		return reason ? `: ${reason}` : '';
	};

	/** One message: waits for the room (within its time), then for the broker; resolves with the report. */
	const sendOne = async (line: string): Promise<void> => {
		const readAt = Date.now();
		if (!ready) {
			let timer: NodeJS.Timeout | undefined;
			const expired = await Promise.race([roomReady.then(() => false), new Promise<boolean>(resolve => (timer = setTimeout(() => resolve(true), timeoutMs)))]);
			clearTimeout(timer);
			if (refusal) return fail(line, refusal);
			if (expired) return fail(line, `not delivered within ${timeout} s${whyWaiting()}`);
		}
		try {
			service.checkSize(room, line);
		} catch (error) {
			return fail(line, (error as Error).message);
		}
		try {
			const d = await service.send(room, line, 'message', {timeoutMs: Math.max(1, readAt + timeoutMs - Date.now())});
			if (!quiet) print(`delivered ${room} [${d.partition}] @${d.offset}\n`);
		} catch (error) {
			const reason = (error as Error).message;
			fail(line, /not delivered within/.test(reason) ? `${reason}${whyWaiting()}` : reason);
		}
	};

	// Reports come out in the order the lines were read, whatever order the acknowledgements take.
	let reports = Promise.resolve();
	let pending = 0;
	let roomForMore: (() => void) | undefined;
	const start = (line: string): void => {
		pending++;
		const done = sendOne(line);
		reports = reports.then(() => done).finally(() => {
			pending--;
			roomForMore?.();
		});
	};

	let blank = 0;
	try {
		if (text !== undefined) start(text);
		else {
			const lines = readline.createInterface({input: process.stdin, crlfDelay: Infinity});
			for await (const line of lines) {
				if (line.trim() === '') {
					blank++;
					continue;
				}
				start(line);
				while (pending >= MAX_PENDING) await new Promise<void>(resolve => (roomForMore = resolve));
			}
		}
		await reports;
	} finally {
		await session.close();
	}
	if (blank > 0 && !quiet) process.stderr.write(`kchat send: skipped ${blank} blank line${blank === 1 ? '' : 's'}\n`);
	if (failed.length > 0) {
		process.stderr.write(`kchat send: ${failed.length} message(s) not delivered:\n`);
		// Each one as a short excerpt: a refused 1 MB message is not echoed whole.
		for (const line of failed) process.stderr.write(`  ${truncateToWidth(sanitizeText(line).replace(/\n/g, ' ⏎ '), 120)}\n`);
		return 1;
	}
	return 0;
}
