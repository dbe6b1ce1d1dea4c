// `kchat broker start|stop|status|logs|client-cert`: a local Apache Kafka (one node, or a cluster of three) for people with no Kafka.
import os from 'node:os';
import {parseArgs, usageError} from './parse-args.js';
import {validateNick} from '../chat/names.js';
import {printBrokerLog} from './broker-logs.js';
import {shellWord} from './shell-word.js';
import {clientCertCommand, clientEnv, clusterLogsCommand, clusterStatusCommand, resolveDataDir, securityLines, startClusterCommand, stopClusterCommand} from './broker-cluster.js';
import {
	BrokerError,
	CLUSTER_NODES,
	DEFAULT_CLUSTER_PORT,
	DEFAULT_HEAP,
	DEFAULT_NODE_HEAP,
	DEFAULT_PORT,
	KAFKA_VERSION,
	artifactsDir,
	brokerStatus,
	defaultClusterDir,
	defaultDataDir,
	isClusterDir,
	startBroker,
	stopBroker,
	streamProgress,
	validateScramUserName,
	type SaslListener,
	type StartOptions,
} from '../broker/index.js';

/** Where `broker start --sasl-user` takes the user's password from: never a flag (ps, shell history). */
const PASSWORD_ENV = 'KCHAT_BROKER_SASL_PASSWORD';

const subcommands = ['start', 'stop', 'status', 'logs', 'client-cert'] as const;
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
	nodes: {type: 'string'},
	node: {type: 'string'},
	tls: {type: 'boolean'},
	tlsClientAuth: {type: 'boolean'},
} as const;

type FlagName = keyof typeof flags;

/** Which flags each subcommand takes; any other is a usage error. */
const allowed: Record<Subcommand, FlagName[]> = {
	start: ['port', 'dataDir', 'heap', 'initialRebalanceDelay', 'saslScram', 'saslUser', 'nodes', 'tls', 'tlsClientAuth'],
	stop: ['dataDir', 'node'],
	status: ['dataDir'],
	logs: ['dataDir', 'follow', 'lines', 'node'],
	'client-cert': ['dataDir'],
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
	nodes: '--nodes',
	node: '--node',
	tls: '--tls',
	tlsClientAuth: '--tls-client-auth',
};

const home = (file: string): string => {
	const h = os.homedir();
	return h && (file === h || file.startsWith(h + '/')) ? '~' + file.slice(h.length) : file;
};

const help = (): string => `
  Usage
    $ kchat broker start  [--nodes 3] [--port PORT] [--data-dir DIR] [--heap SIZE]
                          [--initial-rebalance-delay MS] [--tls | --tls-client-auth]
                          [--sasl-scram [--sasl-user NAME]]
    $ kchat broker stop   [--data-dir DIR] [--node N]
    $ kchat broker status [--data-dir DIR]
    $ kchat broker logs   [--data-dir DIR] [--node N] [-f] [-n LINES]
    $ kchat broker client-cert NICK [--data-dir DIR]

  Runs a real Apache Kafka ${KAFKA_VERSION} (KRaft) on 127.0.0.1, in the background, from the official
  artifacts on Maven Central: one node (broker and controller in one process), or with --nodes 3 a
  cluster of three such nodes, all three voters of the controller quorum, so it keeps working with any
  one of them down. Needs Java 17+, and Maven the first time (to fetch Kafka into ${home(artifactsDir())}).
  Without them: docker compose up -d (a cluster: docker compose --profile cluster up -d).

  Subcommands
    start        fetch Kafka if needed, format the data directory once, start the broker (or every node
                 of the cluster that is not running), wait until all answer, and print the bootstrap
                 list, data directory and logs
    stop         stop the broker, or every node of the cluster (--node N: only that one), and wait
                 until they have exited
    status       one line per broker or node (pid, port, roles); exit 0 if all run, 1 if not
    logs         print the end of the broker's log (of node N: --node N); -f keeps following it
    client-cert  make a client certificate and key for NICK, signed by the broker's CA (DIR/tls/clients)

  Options
    --nodes 3                     a cluster of three nodes (default data dir ${home(defaultClusterDir())},
                                  ports PORT, PORT+1, PORT+2 with PORT ${DEFAULT_CLUSTER_PORT}); replication factor 3,
                                  min.insync.replicas 2
    --port PORT                   client port (default ${DEFAULT_PORT}, or the one last used with the data dir)
    --data-dir DIR                data, configuration and logs (default ${home(defaultDataDir())});
                                  status, stop and logs take the default cluster's when no broker is there
    --heap SIZE                   JVM heap per node, e.g. 512m or 1g (default ${DEFAULT_HEAP}; ${DEFAULT_NODE_HEAP} per node of a
                                  cluster: three nodes take about 1.2 GB of memory in all, which suits a
                                  2-core, 24 GB machine)
    --initial-rebalance-delay MS  group.initial.rebalance.delay.ms (default 0; Kafka's default is 3000)
    --tls                         an SSL listener on the broker (on every node, also between the nodes);
                                  kchat makes a CA and certificates into DIR/tls with openssl and prints
                                  the CA file for clients (KCHAT_SSL_CA). Once on, TLS stays on there
    --tls-client-auth             --tls, and clients must show a certificate signed by that CA; writes
                                  one for your nick (more: kchat broker client-cert NICK)
    --sasl-scram                  clients must log in: the client port is a SASL_PLAINTEXT (with TLS:
                                  SASL_SSL) listener with SCRAM-SHA-256 and SCRAM-SHA-512.
                                  A data dir formatted this way stays SASL on every later start
    --sasl-user NAME              with --sasl-scram, on a fresh data dir: a user to create, with the
                                  password from the environment variable ${PASSWORD_ENV}
                                  (never a flag). Users are added only when the storage is formatted
    --node N                      stop, logs: one node of the cluster (the default one unless --data-dir)
    -f, --follow                  logs: keep printing what the broker logs
    -n, --lines N                 logs: how many of the last lines (default 100, or "all")

  Several brokers and clusters can run side by side, each with its own --port and --data-dir.

  Examples
    $ kchat broker start
    $ kchat broker start --port 19092 --data-dir /tmp/kafka2
    $ kchat broker start --nodes 3 --tls-client-auth
    $ kchat broker stop --node 2; kchat broker start --nodes 3     (restart node 2 of the default cluster)
    $ ${PASSWORD_ENV}=… kchat broker start --sasl-scram --sasl-user alice --port 19093 --data-dir /tmp/kafka-sasl
      then: KCHAT_SASL_MECHANISM=scram-sha-256 KCHAT_SASL_USERNAME=alice KCHAT_SASL_PASSWORD=… kchat --brokers 127.0.0.1:19093
    $ kchat broker logs -f
    $ kchat broker stop
`;

export async function run(argv: string[]): Promise<number> {
	const cli = parseArgs(argv, help(), flags);
	const [sub, ...extra] = cli.input;
	if (sub === undefined) return usageError('broker', `missing subcommand: one of ${subcommands.join(', ')}`);
	if (!isSubcommand(sub)) return usageError('broker', `unknown subcommand '${sub}': expected one of ${subcommands.join(', ')}`);
	const wanted = sub === 'client-cert' ? 1 : 0;
	if (extra.length > wanted) return usageError(`broker ${sub}`, `unexpected argument '${extra[wanted]}'`);
	if (extra.length < wanted) return usageError(`broker ${sub}`, 'missing NICK: whose client certificate to make');
	for (const name of Object.keys(flags) as FlagName[]) {
		if (cli.flags[name] !== undefined && !allowed[sub].includes(name)) {
			return usageError(`broker ${sub}`, `${flagText[name]} does not apply to 'broker ${sub}'`);
		}
	}
	const dataDir = cli.flags.dataDir;
	if (dataDir !== undefined && dataDir.trim() === '') return usageError(`broker ${sub}`, '--data-dir needs a directory');

	try {
		switch (sub) {
			case 'start': {
				const port = parseWhole(cli.flags.port, 1, 65535);
				if (port === null) return usageError('broker start', `--port must be a TCP port (1-65535), not '${cli.flags.port}'`);
				const delay = parseWhole(cli.flags.initialRebalanceDelay, 0, 2 ** 31 - 1);
				if (delay === null) return usageError('broker start', `--initial-rebalance-delay must be milliseconds (a whole number), not '${cli.flags.initialRebalanceDelay}'`);
				const heap = cli.flags.heap;
				if (heap !== undefined && !/^[1-9]\d*[kKmMgG]$/.test(heap)) return usageError('broker start', `--heap must be a size like 512m or 1g, not '${heap}'`);
				const sasl = saslOption(cli.flags.saslScram, cli.flags.saslUser);
				if (typeof sasl === 'string') return usageError('broker start', sasl);
				const nodes = parseWhole(cli.flags.nodes, 1, 3);
				if (nodes === null || nodes === 2) return usageError('broker start', `--nodes must be 1 or ${CLUSTER_NODES}, not '${cli.flags.nodes}'`);
				const tls = cli.flags.tls || cli.flags.tlsClientAuth ? {clientAuth: cli.flags.tlsClientAuth === true} : undefined;
				const common = {dataDir, port, heap, initialRebalanceDelayMs: delay, ...(sasl ? {saslScram: sasl} : {}), ...(tls ? {tls} : {})};
				const cluster = nodes === CLUSTER_NODES || (nodes === undefined && (dataDir !== undefined ? isClusterDir(dataDir) : resolveDataDir(undefined) === defaultClusterDir()));
				return cluster ? await startClusterCommand(common) : await start(common);
			}
			case 'stop': {
				const node = parseWhole(cli.flags.node, 1, 65535);
				if (node === null) return usageError('broker stop', `--node must be a node number, not '${cli.flags.node}'`);
				const dir = resolveDataDir(dataDir, node !== undefined);
				if (isClusterDir(dir)) return await stopClusterCommand(dir, node);
				if (node !== undefined) return usageError('broker stop', `--node applies to a cluster, and ${dir} holds none`);
				return await stop(dir);
			}
			case 'status': {
				const dir = resolveDataDir(dataDir);
				return isClusterDir(dir) ? await clusterStatusCommand(dir) : await status(dir);
			}
			case 'logs': {
				const lines = cli.flags.lines === 'all' ? Infinity : parseWhole(cli.flags.lines, 0, Number.MAX_SAFE_INTEGER);
				if (lines === null) return usageError('broker logs', `--lines must be a number or "all", not '${cli.flags.lines}'`);
				const node = parseWhole(cli.flags.node, 1, 65535);
				if (node === null) return usageError('broker logs', `--node must be a node number, not '${cli.flags.node}'`);
				const dir = resolveDataDir(dataDir, node !== undefined);
				if (isClusterDir(dir)) return await clusterLogsCommand(dir, node, lines ?? 100, cli.flags.follow === true);
				if (node !== undefined) return usageError('broker logs', `--node applies to a cluster, and ${dir} holds none`);
				return await logs(dir, lines ?? 100, cli.flags.follow === true);
			}
			case 'client-cert': {
				const nick = extra[0]!;
				const problem = validateNick(nick);
				if (problem) return usageError('broker client-cert', problem);
				return await clientCertCommand(resolveDataDir(dataDir), nick);
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

/** undefined when not given, null when not a whole number in range. */
function parseWhole(text: string | undefined, min: number, max: number): number | undefined | null {
	if (text === undefined) return undefined;
	if (!/^\d+$/.test(text.trim())) return null;
	const n = Number(text.trim());
	return n >= min && n <= max ? n : null;
}

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

async function start(options: Omit<StartOptions, 'probe'>): Promise<number> {
	const requestedPort = options.port;
	const {clusterProbe} = await import('../kafka/cluster-probe.js');
	const nick = (await import('./session.js')).defaultNick(); // for a client certificate, if the broker asks for them
	const result = await startBroker({...options, probe: clusterProbe, ...(nick ? {clientCertificateFor: nick} : {})}, streamProgress(process.stderr));
	if (result.alreadyRunning) {
		const other = requestedPort !== undefined && requestedPort !== result.port ? ` (on port ${result.port}, not ${requestedPort}: stop it first to change the port)` : '';
		const security = result.sasl ? `, ${describeSasl(result.sasl)}` : '';
		process.stdout.write(`Apache Kafka ${result.version} is already running on ${result.dataDir}${other}: pid ${result.pid}, bootstrap ${result.bootstrap}${security}\n`);
		return 0;
	}
	const stopHint = options.dataDir === undefined ? 'kchat broker stop' : `kchat broker stop --data-dir ${shellWord(result.dataDir)}`;
	process.stdout.write(
		[
			`Apache Kafka ${result.version} is running (pid ${result.pid}, answered after ${((result.readyMs ?? 0) / 1000).toFixed(1)} s)`,
			`  bootstrap  ${result.bootstrap}`,
			...securityLines(result),
			`  data dir   ${result.dataDir}`,
			`  log        ${result.logFile}`,
			`Use it: ${clientEnv(result)}kchat --brokers ${result.bootstrap}   Stop it: ${stopHint}`,
			'',
		].join('\n'),
	);
	return 0;
}

async function stop(dataDir: string | undefined): Promise<number> {
	const result = await stopBroker(dataDir, streamProgress(process.stderr));
	if (!result.wasRunning) {
		const stale = result.stalePid ? ` (removed a stale pid file naming pid ${result.stalePid})` : '';
		process.stdout.write(`no broker is running on ${result.dataDir}${stale}\n`);
		return 0;
	}
	process.stdout.write(`stopped Apache Kafka (pid ${result.pid}) in ${(result.ms / 1000).toFixed(1)} s${result.forced ? ', killed after it did not shut down in time' : ''}\n`);
	return 0;
}

async function status(dataDir: string | undefined): Promise<number> {
	const s = await brokerStatus(dataDir);
	if (!s.running) {
		process.stdout.write(`not running (data dir ${s.dataDir})\n`);
		return 1;
	}
	const listener = s.sasl ? ` (${describeSasl(s.sasl)})` : s.tls ? ` (${s.protocol} listener${s.tls.clientAuth ? ', client certificates required' : ''}; CA ${s.tls.caFile})` : '';
	process.stdout.write(`running: pid ${s.pid}, port ${s.port}${listener}, Apache Kafka ${s.version}, data dir ${s.dataDir}${s.answering ? '' : ' (not answering yet)'}\n`);
	return 0;
}

function logs(dataDir: string | undefined, lines: number, follow: boolean): Promise<number> {
	return printBrokerLog(dataDir ?? defaultDataDir(), lines, follow, 'has the broker been started with this data dir?');
}
