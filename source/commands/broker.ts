// `kchat broker start|stop|status|logs`: a local single-node Apache Kafka for people with no Kafka.
import os from 'node:os';
import {print, whenStdoutCloses} from './output.js';
import {parseArgs, quoteArg, usageError, wholeNumber} from './parse-args.js';
import {findBrokerByPort, rememberBroker} from '../broker/find-broker.js';
import {isHeapSize} from '../broker/java-command.js';
import {
	BrokerError,
	DEFAULT_HEAP,
	DEFAULT_PORT,
	KAFKA_VERSION,
	artifactsDir,
	brokerLogFile,
	brokerStatus,
	defaultDataDir,
	followBrokerLog,
	readBrokerLog,
	startBroker,
	stopBroker,
	streamProgress,
	validateScramUserName,
	type SaslListener,
	type StartOptions,
} from '../broker/index.js';

/** Where `broker start --sasl-user` takes the user's password from: never a flag (ps, shell history). */
const PASSWORD_ENV = 'KCHAT_BROKER_SASL_PASSWORD';

const subcommands = ['start', 'stop', 'status', 'logs'] as const;
type Subcommand = (typeof subcommands)[number];

const flags = {
	port: {type: 'string'},
	dataDir: {type: 'string'},
	heap: {type: 'string'},
	initialRebalanceDelay: {type: 'string'},
	saslScram: {type: 'boolean'},
	saslUser: {type: 'string'},
	follow: {type: 'boolean', shortFlag: 'f'},
	lines: {type: 'string', shortFlag: 'n'},
} as const;

type FlagName = keyof typeof flags;

/** Which flags each subcommand takes; any other is a usage error. */
const allowed: Record<Subcommand, FlagName[]> = {
	start: ['port', 'dataDir', 'heap', 'initialRebalanceDelay', 'saslScram', 'saslUser'],
	stop: ['dataDir', 'port'],
	status: ['dataDir', 'port'],
	logs: ['dataDir', 'port', 'follow', 'lines'],
};

const flagText: Record<FlagName, string> = {
	port: '--port',
	dataDir: '--data-dir',
	heap: '--heap',
	initialRebalanceDelay: '--initial-rebalance-delay',
	saslScram: '--sasl-scram',
	saslUser: '--sasl-user',
	follow: '--follow',
	lines: '--lines',
};

const home = (file: string): string => {
	const h = os.homedir();
	return h && (file === h || file.startsWith(h + '/')) ? '~' + file.slice(h.length) : file;
};

const intro = (): string => `  Runs a real single-node Apache Kafka ${KAFKA_VERSION} (KRaft: broker and controller in one process)
  on 127.0.0.1, in the background, from the official artifacts on Maven Central. Needs Java 17+,
  and Maven the first time (to fetch Kafka into ${home(artifactsDir())}).
  Without them: docker compose up -d.`;

const dataDirHelp = (): string => `    --data-dir DIR                data, configuration and logs (default ${home(defaultDataDir())})`;
const portLookupHelp = `    --port PORT                   the broker kchat knows on that port (instead of --data-dir)`;

const startOptionsHelp = (): string => `    --port PORT                   client port (default ${DEFAULT_PORT}, or the one last used with the data dir)
${dataDirHelp()}
    --heap SIZE                   JVM heap, e.g. 512m or 1g (default ${DEFAULT_HEAP})
    --initial-rebalance-delay MS  group.initial.rebalance.delay.ms (default 0; Kafka's default is 3000)
    --sasl-scram                  clients must log in: the client port is a SASL_PLAINTEXT listener
                                  with SCRAM-SHA-256 and SCRAM-SHA-512 (the controller stays PLAINTEXT).
                                  A data dir formatted this way stays SASL on every later start
    --sasl-user NAME              with --sasl-scram, on a fresh data dir: a user to create, with the
                                  password from the environment variable ${PASSWORD_ENV}
                                  (never a flag). Users are added only when the storage is formatted`;

const help = (): string => `
  Usage
    $ kchat broker start  [--port PORT] [--data-dir DIR] [--heap SIZE] [--initial-rebalance-delay MS]
                          [--sasl-scram [--sasl-user NAME]]
    $ kchat broker stop   [--data-dir DIR | --port PORT]
    $ kchat broker status [--data-dir DIR | --port PORT]
    $ kchat broker logs   [--data-dir DIR | --port PORT] [-f] [-n LINES]

${intro()}

  Subcommands ('kchat broker SUBCOMMAND --help' for each one's options)
    start    fetch Kafka if needed, format the data directory once, start the broker, wait until it
             answers, and print its address, data directory and log file
    stop     stop the broker of the data directory and wait until it has exited
    status   exit 0 and one line (pid, port, version, data dir) if it runs, exit 1 if not
    logs     print the end of the broker's log; -f keeps following it

  Options
${startOptionsHelp()}
    -f, --follow                  logs: keep printing what the broker logs
    -n, --lines N                 logs: how many of the last lines (default 100, or "all")
  With stop, status and logs, --port PORT names the broker kchat knows on that port.

  Several brokers can run side by side, each with its own --port and --data-dir.

  Examples
    $ kchat broker start
    $ kchat broker start --port 19092 --data-dir /tmp/kafka2
    $ ${PASSWORD_ENV}=… kchat broker start --sasl-scram --sasl-user alice --port 19093 --data-dir /tmp/kafka-sasl
      then: KCHAT_SASL_MECHANISM=scram-sha-256 KCHAT_SASL_USERNAME=alice KCHAT_SASL_PASSWORD=… kchat --brokers 127.0.0.1:19093
    $ kchat broker logs -f
    $ kchat broker stop --port 19092
`;

const subcommandHelp: Record<Subcommand, () => string> = {
	start: () => `
  Usage
    $ kchat broker start [--port PORT] [--data-dir DIR] [--heap SIZE] [--initial-rebalance-delay MS]
                         [--sasl-scram [--sasl-user NAME]]

${intro()}
  Fetches Kafka if needed, formats the data directory once, starts the broker, waits until it answers,
  and prints its address, data directory and log file. Already running: says so, exit 0.

  Options
${startOptionsHelp()}

  Examples
    $ kchat broker start
    $ kchat broker start --port 19092 --data-dir /tmp/kafka2
`,
	stop: () => `
  Usage
    $ kchat broker stop [--data-dir DIR | --port PORT]

  Stops the broker of the data directory and waits until it has exited (killed if it does not
  shut down in time). Nothing running: says so, exit 0.

  Options
${dataDirHelp()}
${portLookupHelp}
`,
	status: () => `
  Usage
    $ kchat broker status [--data-dir DIR | --port PORT]

  Exit 0 and one line (pid, port, version, data dir) when the broker runs, exit 1 when it does not.

  Options
${dataDirHelp()}
${portLookupHelp}
`,
	logs: () => `
  Usage
    $ kchat broker logs [--data-dir DIR | --port PORT] [-f] [-n LINES]

  Prints the end of the broker's log (its server.log in the data directory).

  Options
${dataDirHelp()}
${portLookupHelp}
    -f, --follow                  keep printing what the broker logs, until Ctrl+C
    -n, --lines N                 how many of the last lines (default 100, or "all")
`,
};

const helpFor = (words: string[]): string => (words[0] !== undefined && isSubcommand(words[0]) ? subcommandHelp[words[0]]() : help());

export async function run(argv: string[]): Promise<number> {
	const cli = parseArgs(words => (words[0] !== undefined && isSubcommand(words[0]) ? `broker ${words[0]}` : 'broker'), argv, helpFor, flags);
	if (typeof cli === 'number') return cli;
	const [sub, ...extra] = cli.input;
	if (sub === undefined) return usageError('broker', `missing subcommand: one of ${subcommands.join(', ')}`);
	if (!isSubcommand(sub)) return usageError('broker', `unknown subcommand '${quoteArg(sub)}': one of ${subcommands.join(', ')}`);
	const command = `broker ${sub}`;
	if (extra.length > 0) return usageError(command, `unexpected argument '${quoteArg(extra[0]!)}'`);
	for (const name of Object.keys(flags) as FlagName[]) {
		if (cli.flags[name] !== undefined && !allowed[sub].includes(name)) return usageError(command, `${flagText[name]} does not apply to 'kchat ${command}'`);
	}
	let dataDir = cli.flags.dataDir;
	if (dataDir !== undefined && dataDir.trim() === '') return usageError(command, '--data-dir needs a directory');
	const port = wholeNumber(command, '--port', cli.flags.port, 1, 65535, 'a TCP port,');
	if (sub !== 'start' && port !== undefined) {
		if (dataDir !== undefined) return usageError(command, '--port and --data-dir name the broker twice: give one of them');
		const found = findBrokerByPort(port);
		if (found.dataDir === undefined) {
			const known = found.known.map(k => `${k.dataDir} (port ${k.port})`).join(', ');
			process.stderr.write(`kchat ${command}: kchat knows no broker on port ${port}${known ? `; it knows ${known}` : ''}: name its data directory with --data-dir DIR\n`);
			return 1;
		}
		dataDir = found.dataDir;
	}

	try {
		switch (sub) {
			case 'start': {
				const delay = wholeNumber(command, '--initial-rebalance-delay', cli.flags.initialRebalanceDelay, 0, 2 ** 31 - 1, 'milliseconds,');
				const heap = cli.flags.heap;
				if (heap !== undefined && !isHeapSize(heap)) return usageError(command, `--heap must be a size like 512m or 1g, not "${quoteArg(heap)}"`);
				const sasl = saslOption(cli.flags.saslScram, cli.flags.saslUser);
				if (typeof sasl === 'string') return usageError(command, sasl);
				return await start({dataDir, port, heap, initialRebalanceDelayMs: delay, ...(sasl ? {saslScram: sasl} : {})});
			}
			case 'stop':
				return await stop(dataDir);
			case 'status':
				return await status(dataDir);
			case 'logs': {
				const lines = cli.flags.lines?.trim() === 'all' ? Infinity : wholeNumber(command, '--lines', cli.flags.lines, 0, Number.MAX_SAFE_INTEGER, 'a number of lines (or "all"),');
				return await logs(dataDir, lines ?? 100, cli.flags.follow === true);
			}
		}
	} catch (error) {
		if (error instanceof BrokerError) {
			process.stderr.write(`kchat broker: ${error.message}\n`);
			return 1;
		}
		throw error;
	}
}

const isSubcommand = (word: string): word is Subcommand => (subcommands as readonly string[]).includes(word);

/** `--sasl-scram [--sasl-user NAME]` with the password from the environment; a string is a usage error. */
function saslOption(scram: boolean | undefined, user: string | undefined): StartOptions['saslScram'] | string {
	if (user !== undefined && !scram) return '--sasl-user needs --sasl-scram';
	if (!scram) return undefined;
	if (user === undefined) return {};
	const problem = validateScramUserName(user);
	if (problem) return problem;
	const password = process.env[PASSWORD_ENV];
	if (!password) return `--sasl-user ${user} needs its password in the environment variable ${PASSWORD_ENV} (never a flag, so it stays out of ps and shell history)`;
	return {users: [{name: user, password}]};
}

/** `SASL_PLAINTEXT listener: SCRAM-SHA-256, SCRAM-SHA-512; users alice`. */
const describeSasl = (sasl: SaslListener): string => `${sasl.protocol} listener: ${sasl.mechanisms.join(', ')}; users ${sasl.users.join(', ') || 'none'}`;

async function start(options: StartOptions): Promise<number> {
	const requestedPort = options.port;
	const result = await startBroker(options, streamProgress(process.stderr));
	rememberBroker(result.dataDir); // so that --port finds it later
	if (result.alreadyRunning) {
		const other = requestedPort !== undefined && requestedPort !== result.port ? ` (on port ${result.port}, not ${requestedPort}: stop it first to change the port)` : '';
		const security = result.sasl ? `, ${describeSasl(result.sasl)}` : '';
		print(`Apache Kafka ${result.version} is already running on ${result.dataDir}${other}: pid ${result.pid}, bootstrap ${result.bootstrap}${security}\n`);
		return 0;
	}
	const stopHint = options.dataDir === undefined ? 'kchat broker stop' : `kchat broker stop --data-dir ${shellWord(result.dataDir)}`;
	const use = result.sasl
		? `Use it: KCHAT_SASL_MECHANISM=scram-sha-256 KCHAT_SASL_USERNAME=${result.sasl.users[0] ?? 'NAME'} KCHAT_SASL_PASSWORD=… kchat --brokers ${result.bootstrap}`
		: `Use it: kchat --brokers ${result.bootstrap}`;
	print(
		[
			`Apache Kafka ${result.version} is running (pid ${result.pid}, answered after ${((result.readyMs ?? 0) / 1000).toFixed(1)} s)`,
			`  bootstrap  ${result.bootstrap}`,
			...(result.sasl ? [`  listener   ${describeSasl(result.sasl)}`] : []),
			`  data dir   ${result.dataDir}`,
			`  log        ${result.logFile}`,
			`${use}   Stop it: ${stopHint}`,
			'',
		].join('\n'),
	);
	return 0;
}

async function stop(dataDir: string | undefined): Promise<number> {
	const result = await stopBroker(dataDir, streamProgress(process.stderr));
	if (!result.wasRunning) {
		const stale = result.stalePid ? ` (removed a stale pid file naming pid ${result.stalePid})` : '';
		print(`no broker is running on ${result.dataDir}${stale}\n`);
		return 0;
	}
	print(`stopped Apache Kafka (pid ${result.pid}) in ${(result.ms / 1000).toFixed(1)} s${result.forced ? ', killed after it did not shut down in time' : ''}\n`);
	return 0;
}

async function status(dataDir: string | undefined): Promise<number> {
	const s = await brokerStatus(dataDir);
	if (!s.running) {
		print(`not running (data dir ${s.dataDir})\n`);
		return 1;
	}
	const listener = s.sasl ? ` (${describeSasl(s.sasl)})` : '';
	print(`running: pid ${s.pid}, port ${s.port}${listener}, Apache Kafka ${s.version}, data dir ${s.dataDir}${s.answering ? '' : ' (not answering yet)'}\n`);
	return 0;
}

async function logs(dataDir: string | undefined, lines: number, follow: boolean): Promise<number> {
	const dir = dataDir ?? defaultDataDir();
	const text = readBrokerLog(dir, lines);
	if (text === undefined && !follow) {
		process.stderr.write(`kchat broker: no broker log at ${brokerLogFile(dir)} (has the broker been started with this data dir?)\n`);
		return 1;
	}
	if (text && text.length > 0) print(text.join('\n') + '\n');
	if (!follow) return 0;
	const stop = new AbortController();
	const onSignal = () => stop.abort();
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	whenStdoutCloses(onSignal); // the reader went away (| head)
	try {
		await followBrokerLog(dir, chunk => void print(chunk), stop.signal);
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}
	return 0;
}

const shellWord = (word: string): string => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);
