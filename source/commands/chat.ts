import path from 'node:path';
import readline from 'node:readline/promises';
import {connectionFlags, connectionHelp, parseArgs, usageError} from './parse-args.js';
import {resolveBrokers, DEFAULT_BROKERS} from '../config/brokers.js';
import {reachable} from '../config/reachable.js';
import {stateDir} from '../config/paths.js';
import {validateNick, validateRoomName} from '../chat/names.js';
import {sanitizeText} from '../chat/sanitize.js';

export const DEFAULT_ROOM = 'lobby';

const help = `
  kchat: chat rooms on Apache Kafka, in the terminal

  Usage
    $ kchat [--user NICK] [--room ROOM ...]      open the chat
    $ kchat broker start|stop|status|logs        run a local Apache Kafka (no Docker needed)
    $ kchat send --room ROOM [TEXT...]           send a message (or each line of stdin)
    $ kchat tail --room ROOM [--exit-at-end]     print a room's messages
    $ kchat rooms [create|delete ROOM]           list, create or delete rooms
    $ kchat simulate --users N --rooms R --rate M --duration T
    $ kchat bench [--quick] [--json]             measure latency, join time, throughput, rendering

  Options
    --user NICK          your nick (default: $USER when valid, else asked); 1-32 of a-z A-Z 0-9 _ . -
    --room ROOM          a room to join (repeatable; default: the rooms you had open, else ${DEFAULT_ROOM})
    --local              start the local broker (kchat broker start) when nothing answers at ${DEFAULT_BROKERS}
    --partitions N       partitions for rooms this instance creates (default 3)
    --history N          lines of history shown on join (default 50)
    --scrollback N       lines kept per room (default 10000)
    --no-bell            no terminal bell on mentions
    --no-alt-screen      draw in the terminal's main screen (the last frame stays when kchat ends)
${connectionHelp}

  Keys: F1 or ? for help. Ctrl+N/Ctrl+P rooms, Alt+1..9 room N, Alt+A next active, PgUp/PgDn, Ctrl+R search,
  Alt+Enter a line break, Ctrl+C quit.
  Run 'kchat COMMAND --help' for a command's options.
`;

async function ask(question: string): Promise<string> {
	const rl = readline.createInterface({input: process.stdin, output: process.stderr});
	try {
		return (await rl.question(question)).trim();
	} finally {
		rl.close();
	}
}

function positiveInt(value: string, name: string, max: number): number | string {
	const n = Number(value);
	return Number.isInteger(n) && n >= 1 && n <= max ? n : `--${name} must be a whole number from 1 to ${max}, not "${sanitizeText(value)}"`;
}

/** With no broker configured and none at localhost:9092, offer the built-in one (or start it with --local). */
async function ensureLocalBroker(local: boolean): Promise<number | undefined> {
	if (await reachable(DEFAULT_BROKERS)) return undefined;
	if (!local) {
		if (!process.stdin.isTTY) return undefined;
		const answer = await ask(`No Kafka answers at ${DEFAULT_BROKERS}. Start a local Apache Kafka now (kchat broker start)? [Y/n] `);
		if (/^n/i.test(answer)) return undefined;
	}
	const {startBroker, defaultDataDir, streamProgress} = await import('../broker/index.js');
	const {clusterProbe} = await import('../kafka/cluster-probe.js');
	try {
		const result = await startBroker({port: 9092, dataDir: defaultDataDir(), heap: '512m', probe: clusterProbe}, streamProgress(process.stderr));
		process.stderr.write(`kchat: local Kafka at ${result.bootstrap}; stop it with 'kchat broker stop'\n`);
		return undefined;
	} catch (error) {
		process.stderr.write(`kchat: the local broker did not start: ${(error as Error).message}\n`);
		return 1;
	}
}

export async function run(argv: string[]): Promise<number> {
	const cli = parseArgs(argv, help, {
		...connectionFlags,
		user: {type: 'string'},
		room: {type: 'string', isMultiple: true},
		local: {type: 'boolean', default: false},
		bell: {type: 'boolean', default: true},
		altScreen: {type: 'boolean', default: true},
		partitions: {type: 'string', default: '3'},
		history: {type: 'string', default: '50'},
		scrollback: {type: 'string', default: '10000'},
	});
	if (cli.input.length > 0) return usageError('', `unexpected argument "${sanitizeText(cli.input[0]!)}"`);
	const rooms = cli.flags.room ?? [];
	for (const room of rooms) {
		const problem = validateRoomName(room);
		if (problem) return usageError('', problem);
	}
	const partitions = positiveInt(cli.flags.partitions, 'partitions', 1000);
	const history = positiveInt(cli.flags.history, 'history', 10_000);
	const scrollback = positiveInt(cli.flags.scrollback, 'scrollback', 1_000_000);
	for (const v of [partitions, history, scrollback]) if (typeof v === 'string') return usageError('', v);

	// Loaded after the flags are checked: Ink and kafkajs take ~0.5 s to load, --help and usage errors need neither.
	const {defaultNick, openSession} = await import('./session.js');
	const screen = import('./chat-screen.js');
	let nick = defaultNick(cli.flags.user);
	if (!nick) {
		if (!process.stdin.isTTY) return usageError('', 'no nick: pass --user NICK');
		nick = await ask('Nick: ');
	}
	const nickProblem = validateNick(nick);
	if (nickProblem) return usageError('', nickProblem);

	if (resolveBrokers(cli.flags.brokers).source === 'default') {
		const failed = await ensureLocalBroker(cli.flags.local);
		if (failed !== undefined) return failed;
	}

	const outboxFile = path.join(stateDir(), 'outbox', `${nick}.jsonl`);
	const session = openSession({...cli.flags, nick}, {partitions: partitions as number, historySize: history as number, outboxFile});
	session.store.setState({scrollbackCap: scrollback as number});
	const {service, store} = session;

	// Every way out (Ctrl+C, /quit, SIGTERM, SIGHUP, a crash) goes through here, so the service stops once.
	let quitting: Promise<void> | undefined;
	let resolveExit: (code: number) => void = () => {};
	const exited = new Promise<number>(resolve => (resolveExit = resolve));
	const quit = (code = 0): Promise<void> => {
		quitting ??= (async () => {
			store.getState().actions.notice('leaving…');
			await session.close();
			app.unmount();
			resolveExit(code);
		})();
		return quitting;
	};
	const onSignal = (): void => void quit();
	const onCrash = (error: unknown): void => {
		session.logger.error('crash', {error: error instanceof Error ? error.stack : String(error)});
		void quit(1).then(() => process.stderr.write(`kchat: crashed: ${sanitizeText(error instanceof Error ? error.message : String(error))} (details in the log file)\n`));
	};
	process.on('SIGTERM', onSignal);
	process.on('SIGHUP', onSignal);
	process.on('uncaughtException', onCrash);
	process.on('unhandledRejection', onCrash);

	const app = (await screen).showChat({store, controller: service, bell: cli.flags.bell, altScreen: cli.flags.altScreen, onQuit: () => void quit()});

	// Connect and join in the background: the first frame is already on screen.
	void (async () => {
		try {
			const toJoin = rooms.length > 0 ? rooms : await service.lastOpenRooms();
			for (const room of toJoin.length > 0 ? toJoin : [DEFAULT_ROOM]) {
				await service.join(room).catch((error: unknown) => store.getState().actions.notice(`cannot join ${room}: ${sanitizeText((error as Error).message)}`));
			}
			await service.rooms();
		} catch (error) {
			session.logger.error('start-up failed', {error: (error as Error).stack});
		}
	})();

	const code = await exited;
	process.off('SIGTERM', onSignal);
	process.off('SIGHUP', onSignal);
	process.off('uncaughtException', onCrash);
	process.off('unhandledRejection', onCrash);
	return code;
}
