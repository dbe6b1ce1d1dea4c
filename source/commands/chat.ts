import path from 'node:path';
import {connectionFlags, connectionHelp, parseArgs, quoteArg, usageError, wholeNumber} from './parse-args.js';
import type {StartScreen} from './start-screen.js';
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

const YES = /^(y|yes)?$/i;
const NO = /^no?$/i;

/**
 * With no broker configured and none at localhost:9092: start the local one (--local, or the user said
 * yes). The answer, the progress and Ctrl+C all happen in the start screen when there is one. Resolves
 * with the brokers to use (the started broker's address), undefined to go on without, or an exit code.
 */
async function localBroker(local: boolean, screen: StartScreen | undefined): Promise<{brokers?: string} | number> {
	if (!local) {
		if (!screen) return {};
		const answer = await screen.ask(`No Kafka answers at ${DEFAULT_BROKERS}. Start a local Apache Kafka now (kchat broker start)? [Y/n]`, a =>
			YES.test(a) || NO.test(a) ? undefined : 'Answer y (or Enter) to start it, n to go on without it.',
		);
		if (answer === undefined) return 130;
		if (NO.test(answer)) return {};
	}
	const {startBroker, defaultDataDir, streamProgress} = await import('../broker/index.js');
	const {clusterProbe} = await import('../kafka/cluster-probe.js');
	const progress = screen?.progress ?? streamProgress(process.stderr);
	try {
		// The port last used with the default data dir, else 9092: a broker already running there is used as it is.
		const starting = startBroker({dataDir: defaultDataDir(), heap: '512m', probe: clusterProbe}, progress);
		const result = await (screen ? Promise.race([starting, screen.cancelled.then(() => undefined)]) : starting);
		if (!result) {
			process.stderr.write("kchat: the local broker goes on starting in the background ('kchat broker status', 'kchat broker stop')\n");
			return 130;
		}
		progress(`kchat: local Kafka at ${result.bootstrap}; stop it with 'kchat broker stop'`);
		return {brokers: result.bootstrap};
	} catch (error) {
		await screen?.close();
		process.stderr.write(`kchat: the local broker did not start: ${(error as Error).message}\n`);
		return 1;
	}
}

export async function run(argv: string[]): Promise<number> {
	const cli = parseArgs('', argv, help, {
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
	if (typeof cli === 'number') return cli;
	if (cli.input.length > 0) return usageError('', `unexpected argument "${quoteArg(cli.input[0]!)}"`);
	const rooms = cli.flags.room ?? [];
	for (const room of rooms) {
		const problem = validateRoomName(room);
		if (problem) return usageError('', problem);
	}
	const partitions = wholeNumber('', '--partitions', cli.flags.partitions, 1, 1000)!;
	const history = wholeNumber('', '--history', cli.flags.history, 1, 10_000)!;
	const scrollback = wholeNumber('', '--scrollback', cli.flags.scrollback, 1, 1_000_000)!;

	// Loaded after the flags are checked: Ink and kafkajs take ~0.5 s to load, --help and usage errors need neither.
	const {defaultNick, openSession} = await import('./session.js');
	const screen = import('./chat-screen.js');
	let nick = defaultNick(cli.flags.user);
	const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
	if (!nick && !terminal) return usageError('', 'no nick: pass --user NICK');
	if (nick) {
		const nickProblem = validateNick(nick);
		if (nickProblem) return usageError('', nickProblem);
	}
	const needsBroker = resolveBrokers(cli.flags.brokers).source === 'default' && !(await reachable(DEFAULT_BROKERS));
	let brokers = cli.flags.brokers;

	// Questions and the broker's progress before the chat opens: inside Ink, so the keys go on working.
	const start = terminal && (!nick || needsBroker) ? (await import('./start-screen.js')).openStartScreen() : undefined;
	try {
		if (!nick) {
			nick = await start!.ask('Nick:', validateNick);
			if (nick === undefined) return 130;
		}
		if (needsBroker) {
			const local = await localBroker(cli.flags.local, start);
			if (typeof local === 'number') return local;
			brokers = local.brokers ?? brokers;
		}
	} finally {
		await start?.close();
	}

	const outboxDir = path.join(stateDir(), 'outbox', nick);
	const session = openSession({...cli.flags, ...(brokers ? {brokers} : {}), nick}, {partitions: partitions, historySize: history, outboxDir});
	session.store.setState({scrollbackCap: scrollback});
	const {service, store} = session;
	// Said before the chat covers the screen, so it is still there after it ends; the status line keeps saying it.
	const startNotes = [...service.outboxNotes, ...(store.getState().storageProblem ? [store.getState().storageProblem!] : [])];
	for (const note of startNotes) process.stderr.write(`kchat: ${sanitizeText(note)}\n`);

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
				if (store.getState().rooms[room]) for (const note of startNotes.splice(0)) store.getState().actions.notice(sanitizeText(note), room);
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
