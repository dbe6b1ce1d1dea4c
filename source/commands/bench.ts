import os from 'node:os';
import {print} from './output.js';
import {connectionFlags, connectionHelp, parseArgs, quoteArg, usageError, wholeNumber} from './parse-args.js';
import {FULL_PLAN, QUICK_PLAN, SERVE_PLAN, SERVE_QUICK_PLAN} from '../bench/bench-plans.js';

// The rest is imported where it is used: a bench child process (`--internal MODE`) loads what its
// measurement needs, not the whole bench (the render child's first frame counts what it loads).

const help = `
  Usage
    $ kchat bench [--quick] [--json]
    $ kchat bench --serve [--quick] [--json]

  Measures kchat on the configured broker, on fresh rooms it deletes afterwards:
    e2e          latency from one client's send to another client's store (${FULL_PLAN.e2eMessages.toLocaleString('en-US')} messages, steady rate)
    kafkaE2e     the same from Apache Kafka's own EndToEndLatency tool, same run, same record size and acks
    joinToLive   from a join until a message sent after it is received (${FULL_PLAN.joins} joins)
    throughput   the most messages a second one instance takes into its store, UI drawn, without falling behind
    render       time to first frame, key-to-frame with ${FULL_PLAN.renderMessages.toLocaleString('en-US')} lines in the room (also while 200 arrive
                 a second), and the bytes written to the terminal per second while 50 arrive a second
    idle         CPU of a TUI sitting in ${FULL_PLAN.idleRooms} quiet rooms for ${FULL_PLAN.idleSeconds} s
    memory       resident memory with ${FULL_PLAN.memoryMessages.toLocaleString('en-US')} messages over ${FULL_PLAN.memoryRooms} rooms
  Kafka's tool needs Java 17+ and the Kafka jars (resolved with Maven once, as for 'kchat broker').
  A full run takes about 2.5 minutes. Other work on the machine skews every figure: the load
  average is printed before and after. KCHAT_BENCH_PROFILE=DIR writes a CPU profile of each of the
  bench's child processes (receiver, instance under load, render, memory) into DIR.

  With --serve, only kchat serve instead: 100, then 1,000 WebSocket clients (load generators: 2 processes)
  on one fresh 'kchat serve', a room taking 100 messages a second for 30 s: whether every client got every
  message, latency from send to each client's socket (p50/p99), the gateway's CPU and memory.

  Options
    --quick    a smaller run, under a minute
    --serve    measure kchat serve (see above; with --quick, 10 s each)
    --clients N[,N...]  with --serve: the client counts to run (default 100,1000)
    --seconds N         with --serve: how long each run sends (default 30, --quick 10)
    --generators N      with --serve: load generator processes, each with its share of the clients (default 2)
    --json     one JSON object: e2e.p50, kafkaE2e.p99, joinToLive.p50, throughput.msgsPerSec, ...
${connectionHelp}
`;

/** The hidden modes the benchmark runs in processes of their own. */
async function runInternal(mode: string, flags: {room?: string[]; messages?: string; keys?: string; busyKeys?: string; seconds?: string; warmup?: string; url?: string; clients?: string; first?: string; brokers?: string; logFile?: string; verbose?: boolean}): Promise<number> {
	const {answer} = await import('../bench/child.js');
	if (mode === 'serve-clients') {
		const {runServeClients} = await import('../bench/serve-clients.js');
		await runServeClients({url: flags.url ?? '', clients: Number(flags.clients ?? 0), first: Number(flags.first ?? 0), room: flags.room?.[0] ?? '', total: Number(flags.messages ?? 0), warmup: Number(flags.warmup ?? 0)});
		return 0;
	}
	if (mode === 'render') {
		const {measureRender} = await import('../bench/render.js');
		answer(
			await measureRender({
				messages: Number(flags.messages ?? 50_000),
				keys: Number(flags.keys ?? 60),
				busyKeys: Number(flags.busyKeys ?? 60),
				bytesSeconds: Number(flags.seconds ?? 10),
				// What `kchat` loads before its first frame, handed in: bench does not import the commands.
				load: () => import('./chat.js'),
			}),
		);
		return 0;
	}
	const [{resolveBrokers}, {defaultLogFile}, {openLogFile}, {securitySettings}] = await Promise.all([
		import('../config/brokers.js'),
		import('../config/paths.js'),
		import('../kafka/log-file.js'),
		import('./session.js'),
	]);
	const {brokers} = resolveBrokers(flags.brokers);
	const logger = openLogFile(flags.logFile ?? defaultLogFile(), flags.verbose ?? false);
	try {
		if (mode === 'memory') {
			const {measureMemory} = await import('../bench/memory.js');
			const rooms = flags.room ?? [];
			answer(await measureMemory({brokers, security: securitySettings(), logger, rooms, expected: Number(flags.messages ?? 0)}));
			return 0;
		}
		if (mode === 'idle') {
			const {measureIdle} = await import('../bench/idle.js');
			answer(await measureIdle({brokers, security: securitySettings(), logger, rooms: flags.room ?? [], seconds: Number(flags.seconds ?? 30)}));
			return 0;
		}
		if (mode === 'e2e') {
			const {runE2eReceiver} = await import('../bench/e2e-receiver.js');
			await runE2eReceiver({brokers, security: securitySettings(), logger, room: flags.room?.[0] ?? '', total: Number(flags.messages ?? 0), warmup: Number(flags.warmup ?? 0)});
			return 0;
		}
		if (mode === 'throughput') {
			const {runThroughputConsumer} = await import('../bench/throughput-consumer.js');
			await runThroughputConsumer({brokers, security: securitySettings(), logger, room: flags.room?.[0] ?? ''});
			return 0;
		}
	} finally {
		logger.close();
	}
	return usageError('bench', `unknown internal mode "${quoteArg(mode)}"`);
}

function machine(): string {
	const cpus = os.cpus();
	const model = cpus[0]?.model.replace(/\s+/g, ' ').trim();
	return `${cpus.length} cores${model ? ` (${model})` : ''}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** The 1-minute load average: above the number of cores, the figures measure the crowd as much as kchat. */
function loadAverage(): string {
	return os.loadavg()[0]!.toFixed(2);
}

export async function run(argv: string[]): Promise<number> {
	const cli = parseArgs('bench', argv, help, {
		...connectionFlags,
		quick: {type: 'boolean', default: false},
		serve: {type: 'boolean', default: false},
		json: {type: 'boolean', default: false},
		// Hidden: the measurements that run in a child process.
		internal: {type: 'string'},
		room: {type: 'string', isMultiple: true},
		messages: {type: 'string'},
		keys: {type: 'string'},
		busyKeys: {type: 'string'},
		seconds: {type: 'string'},
		warmup: {type: 'string'},
		url: {type: 'string'},
		clients: {type: 'string'},
		first: {type: 'string'},
		generators: {type: 'string'},
	});
	if (typeof cli === 'number') return cli;
	if (cli.flags.internal) return runInternal(cli.flags.internal, cli.flags);
	if (cli.input.length > 0) return usageError('bench', `unexpected argument "${quoteArg(cli.input[0]!)}"`);
	const servePlan = {...(cli.flags.quick ? SERVE_QUICK_PLAN : SERVE_PLAN)};
	if (cli.flags.clients !== undefined) {
		const counts = cli.flags.clients.split(',').map(Number);
		if (!cli.flags.serve || counts.some(n => !Number.isInteger(n) || n < 1 || n > 20_000)) return usageError('bench', `--clients takes --serve and whole numbers from 1 to 20000, not "${quoteArg(cli.flags.clients)}"`);
		servePlan.clients = counts;
	}
	if (cli.flags.seconds !== undefined) {
		if (!cli.flags.serve) return usageError('bench', '--seconds takes --serve');
		const seconds = wholeNumber('bench', '--seconds', cli.flags.seconds, 1, 3600)!;
		servePlan.seconds = seconds;
		servePlan.warmupSeconds = Math.min(servePlan.warmupSeconds, seconds);
	}
	if (cli.flags.generators !== undefined) {
		if (!cli.flags.serve) return usageError('bench', '--generators takes --serve');
		servePlan.generators = wholeNumber('bench', '--generators', cli.flags.generators, 1, 8)!;
	}

	const [{resolveBrokers}, {defaultLogFile}, {openLogFile}, {securitySettings}, {sanitizeText}, {BenchContext}, {formatReport}, {runBench}, {measureServe}, {formatServeReport}] = await Promise.all([
		import('../config/brokers.js'),
		import('../config/paths.js'),
		import('../kafka/log-file.js'),
		import('./session.js'),
		import('../chat/sanitize.js'),
		import('../bench/bench-context.js'),
		import('../bench/report.js'),
		import('../bench/run-bench.js'),
		import('../bench/serve-bench.js'),
		import('../bench/serve-report.js'),
	]);
	const {brokers} = resolveBrokers(cli.flags.brokers);
	const logFile = cli.flags.logFile ?? defaultLogFile();
	const logger = openLogFile(logFile, cli.flags.verbose);
	const started = performance.now();
	const progress = (line: string): void => void process.stderr.write(`bench ${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s  ${line}\n`);
	const ctx = new BenchContext(brokers, securitySettings(), logger, logFile, cli.flags.verbose, cli.flags.quick, progress);
	let cleaned: Promise<void> | undefined;
	const cleanup = (): Promise<void> => (cleaned ??= ctx.cleanup());
	const onSignal = (): void => {
		process.stderr.write('\nbench: interrupted, deleting the rooms it made…\n');
		void cleanup().finally(() => process.exit(130));
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	try {
		try {
			await Promise.race([
				ctx.connect(),
				new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 20 s')), 20_000).unref()),
			]);
		} catch (error) {
			process.stderr.write(`kchat bench: cannot reach ${brokers.join(',')}: ${sanitizeText((error as Error).message)}\n`);
			return 1;
		}
		const loadBefore = loadAverage();
		progress(`on ${brokers.join(',')}, ${machine()}, load average ${loadBefore}${cli.flags.quick ? ', quick' : ''}`);
		if (cli.flags.serve) {
			const serve = await measureServe(ctx, servePlan);
			progress(`done; load average ${loadAverage()} (other work on this machine skews every figure)`);
			const seconds = (performance.now() - started) / 1000;
			if (cli.flags.json) process.stdout.write(JSON.stringify({serve}) + '\n');
			else process.stdout.write(formatServeReport(serve, {quick: cli.flags.quick, brokers: brokers.join(','), machine: `${machine()}, load ${loadBefore} → ${loadAverage()}`, seconds}));
			return 0;
		}
		const {report, notes} = await runBench(ctx, cli.flags.quick ? QUICK_PLAN : FULL_PLAN);
		const seconds = (performance.now() - started) / 1000;
		progress(`done; load average ${loadAverage()} (other work on this machine skews every figure)`);
		if (cli.flags.json) print(JSON.stringify(report) + '\n');
		else print(formatReport(report, {...notes, brokers: brokers.join(','), machine: `${machine()}, load ${loadBefore} → ${loadAverage()}`, seconds}));
		return 0;
	} catch (error) {
		process.stderr.write(`kchat bench: ${sanitizeText((error as Error).message)}\n`);
		return 1;
	} finally {
		await cleanup();
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		logger.close();
	}
}
