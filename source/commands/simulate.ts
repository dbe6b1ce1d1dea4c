import {print} from './output.js';
import {connectionFlags, connectionHelp, parseArgs, quoteArg, usageError, wholeNumber} from './parse-args.js';
import {securitySettings} from './session.js';
import {resolveBrokers} from '../config/brokers.js';
import {defaultLogFile} from '../config/paths.js';
import {validateRoomName} from '../chat/names.js';
import {sanitizeText} from '../chat/sanitize.js';
import {BenchProducer} from '../kafka/bench-clients.js';
import {ClusterAdmin} from '../kafka/cluster-admin.js';
import {openLogFile} from '../kafka/log-file.js';
import {Simulation, type SimulationStats} from '../bench/simulation.js';
import {StatusLine} from '../bench/status-line.js';

const help = `
  Usage
    $ kchat simulate [--users N] [--rooms R] [--rate M] [--duration T]

  Runs N simulated users in this one process. They arrive, join rooms, chat at M lines a second in
  total (varied text: questions, replies, mentions of each other, /me actions, now and then emoji and
  other scripts), join and leave rooms now and then, and show up in member lists. Their nicks start
  with sim- (sim-bob), so they are never taken for people, and member lists mark them (sim). Watch them with
  'kchat --room sim-1' in another terminal, or use them as a load source. Progress goes to standard
  error each second; a summary (sent, delivered, failed, rate, CPU time) to standard output.

  Options
    --users N          simulated users (default 10)
    --rooms R          rooms, named PREFIX-1 .. PREFIX-R, created when missing (default 3)
    --room-prefix P    the rooms' name prefix (default sim)
    --rate M           chat lines per second, all users together (default 5)
    --duration T       how long: seconds, or with s, m or h (default 60s; 0 runs until Ctrl+C)
    --partitions N     partitions of the rooms it creates (default 3)
    --seed N           the same seed gives the same users and the same conversation
    --no-presence      no heartbeats in kchat.presence (the users are not listed as members)
    --json             the summary as one JSON object
${connectionHelp}

  Examples
    $ kchat simulate --users 100 --rooms 3 --rate 200 --duration 2m
    $ kchat simulate --users 5 --rate 1 --duration 0      # a quiet room to watch, until Ctrl+C
`;

/** The counts of SimulationStats, plus what the run was and what it cost. */
export type SimulateSummary = Pick<SimulationStats, 'sent' | 'delivered' | 'failed' | 'messages' | 'joins' | 'leaves'> & {
	users: number;
	rooms: number;
	seconds: number;
	/** Chat lines (messages and actions) delivered per second. */
	rate: number;
	cpuSeconds: number;
	/** CPU time over wall time, in percent of one core. */
	cpuPercent: number;
};

/** `90`, `90s`, `1.5m`, `2h` as milliseconds; undefined when it is none of these. */
export function parseDuration(text: string): number | undefined {
	const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim());
	if (!m) return undefined;
	const unit = {ms: 1, s: 1000, m: 60_000, h: 3_600_000}[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
	return Number(m[1]) * unit;
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

async function within<T>(ms: number, work: Promise<T>, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms)))]);
	} finally {
		clearTimeout(timer);
	}
}

export async function run(argv: string[]): Promise<number> {
	const cli = parseArgs('simulate', argv, help, {
		...connectionFlags,
		users: {type: 'string', default: '10'},
		rooms: {type: 'string', default: '3'},
		roomPrefix: {type: 'string', default: 'sim'},
		rate: {type: 'string', default: '5'},
		duration: {type: 'string', default: '60s'},
		partitions: {type: 'string', default: '3'},
		seed: {type: 'string'},
		presence: {type: 'boolean', default: true},
		json: {type: 'boolean', default: false},
	});
	if (typeof cli === 'number') return cli;
	if (cli.input.length > 0) return usageError('simulate', `unexpected argument "${quoteArg(cli.input[0]!)}"`);
	const users = wholeNumber('simulate', '--users', cli.flags.users, 1, 10_000)!;
	const roomCount = wholeNumber('simulate', '--rooms', cli.flags.rooms, 1, 1000)!;
	const partitions = wholeNumber('simulate', '--partitions', cli.flags.partitions, 1, 1000)!;
	const rate = Number(cli.flags.rate);
	if (!Number.isFinite(rate) || rate <= 0 || rate > 1_000_000) return usageError('simulate', `--rate must be a number of lines per second above 0, not "${quoteArg(cli.flags.rate)}"`);
	const durationMs = parseDuration(cli.flags.duration);
	if (durationMs === undefined) return usageError('simulate', `--duration must be seconds or a time such as 30s, 5m, 1h, not "${quoteArg(cli.flags.duration)}"`);
	const seed = cli.flags.seed === undefined ? Date.now() % 1_000_000 : wholeNumber('simulate', '--seed', cli.flags.seed, 0, Number.MAX_SAFE_INTEGER)!;
	const rooms = Array.from({length: roomCount}, (_, i) => `${cli.flags.roomPrefix}-${i + 1}`);
	const roomProblem = validateRoomName(rooms[rooms.length - 1]!) ?? validateRoomName(rooms[0]!);
	if (roomProblem) return usageError('simulate', `--room-prefix gives a bad room name: ${roomProblem}`);

	const {brokers} = resolveBrokers(cli.flags.brokers);
	const logger = openLogFile(cli.flags.logFile ?? defaultLogFile(), cli.flags.verbose ?? false);
	const client = {brokers, logger, verbose: cli.flags.verbose ?? false, ...securitySettings()};
	const producer = new BenchProducer({...client, clientId: 'kchat-simulate'});
	const admin = new ClusterAdmin(client);
	const status = new StatusLine();
	const cpuAtStart = process.cpuUsage();

	try {
		try {
			await within(20_000, Promise.all([producer.connect(), admin.connect()]), brokers.join(','));
			for (const room of rooms) await admin.create(room, partitions);
			if (cli.flags.presence) await producer.ensureSystemTopics();
		} catch (error) {
			process.stderr.write(`kchat simulate: cannot reach ${brokers.join(',')}: ${sanitizeText((error as Error).message)}\n`);
			return 1;
		}

		const simulation = new Simulation({sender: producer, users: users, rooms, rate, seed, presence: cli.flags.presence});
		let interrupted = false;
		let wake: () => void = () => {};
		const onSignal = (): void => {
			interrupted = true;
			wake();
		};
		process.on('SIGINT', onSignal);
		process.on('SIGTERM', onSignal);

		const cpuAtRun = process.cpuUsage();
		simulation.start();
		const total = durationMs > 0 ? `/${Math.round(durationMs / 1000)}` : '';
		const progress = (s: SimulationStats): string => {
			const cpu = process.cpuUsage(cpuAtRun);
			const percent = s.elapsedMs > 0 ? ((cpu.user + cpu.system) / 1000 / s.elapsedMs) * 100 : 0;
			return `simulate ${Math.floor(s.elapsedMs / 1000)}${total} s · ${users} users · ${rooms.length} rooms · sent ${s.sent} · delivered ${s.delivered} · failed ${s.failed} · ${(s.deliveredMessages / Math.max(s.elapsedMs / 1000, 0.001)).toFixed(1)} lines/s · cpu ${percent.toFixed(0)}%`;
		};
		const ticker = setInterval(() => status.update(progress(simulation.snapshot())), 1000);
		const deadline = durationMs > 0 ? sleep(durationMs) : new Promise<void>(() => {});
		await Promise.race([deadline, new Promise<void>(resolve => (wake = resolve))]);
		clearInterval(ticker);
		const stats = await within(30_000, simulation.stop(), 'the broker');
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		status.update(progress(stats));
		status.done();

		const cpu = process.cpuUsage(cpuAtStart);
		const cpuSeconds = (cpu.user + cpu.system) / 1e6;
		const seconds = stats.elapsedMs / 1000;
		const summary: SimulateSummary = {
			users: users,
			rooms: rooms.length,
			seconds: round(seconds, 2),
			sent: stats.sent,
			delivered: stats.delivered,
			failed: stats.failed,
			messages: stats.messages,
			joins: stats.joins,
			leaves: stats.leaves,
			rate: round(stats.deliveredMessages / Math.max(seconds, 0.001), 1),
			cpuSeconds: round(cpuSeconds, 2),
			cpuPercent: round((cpuSeconds / Math.max(seconds, 0.001)) * 100, 1),
		};
		if (cli.flags.json) {
			print(JSON.stringify(summary) + '\n');
		} else {
			print(
				[
					`simulated ${summary.users} users in ${rooms.length} rooms (${rooms[0]}${rooms.length > 1 ? ` .. ${rooms[rooms.length - 1]}` : ''}) for ${seconds.toFixed(1)} s${interrupted ? ' (interrupted)' : ''}, seed ${seed}`,
					`  sent       ${summary.sent}  (${summary.messages} lines, ${summary.joins} joins, ${summary.leaves} leaves)`,
					`  delivered  ${summary.delivered}`,
					`  failed     ${summary.failed}${stats.lastError ? `  (last error: ${sanitizeText(stats.lastError)})` : ''}`,
					`  rate       ${summary.rate} lines/s`,
					`  cpu        ${summary.cpuSeconds} s, ${summary.cpuPercent}% of one core`,
					'',
				].join('\n'),
			);
		}
		return stats.failed > 0 ? 1 : 0;
	} catch (error) {
		status.done();
		process.stderr.write(`kchat simulate: ${sanitizeText((error as Error).message)}\n`);
		return 1;
	} finally {
		await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
		logger.close();
	}
}

function round(value: number, digits: number): number {
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}
