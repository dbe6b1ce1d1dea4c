import {spawn} from 'node:child_process';
import fs from 'node:fs';
import {BrokerError} from './broker-error.js';
import {DEFAULT_HOST, log4j2Properties, serverProperties} from './broker-config.js';
import {brokerPaths, defaultDataDir, type BrokerPaths} from './broker-paths.js';
import {acquireLock, isAlive, readState, removePid, runningPid, writePid, writeState, type BrokerState} from './broker-state.js';
import {newClusterId} from './cluster-id.js';
import {formatStorage, formattedClusterId, isFormatted} from './format-storage.js';
import {brokerArgs, isHeapSize} from './java-command.js';
import {KAFKA_VERSION} from './kafka-version.js';
import {failureExcerpt, fileSize} from './log-tail.js';
import {freePort, isPortFree} from './ports.js';
import {findJava} from './preflight.js';
import {silentProgress, type Progress} from './progress.js';
import {ensureArtifacts} from './resolve-artifacts.js';
import {terminate} from './terminate.js';
import {waitReady} from './wait-ready.js';

export const DEFAULT_PORT = 9092;
export const DEFAULT_HEAP = '512m';
export const DEFAULT_INITIAL_REBALANCE_DELAY_MS = 0;

export type StartOptions = {
	/** Default: `~/.local/state/kchat/kafka`. */
	dataDir?: string;
	/** Client port on 127.0.0.1. Default: the port last used with this data directory, else 9092. */
	port?: number;
	/** JVM heap (-Xmx and -Xms), e.g. `512m`. */
	heap?: string;
	/** `group.initial.rebalance.delay.ms`; Kafka's own default is 3000. */
	initialRebalanceDelayMs?: number;
	/** How long to wait for the broker to answer (default 60 s). */
	readyTimeoutMs?: number;
};

export type StartResult = {
	/** It was already running on this data directory; nothing was started. */
	alreadyRunning: boolean;
	pid: number;
	port: number;
	/** `127.0.0.1:<port>`, for `--brokers` / `KCHAT_BROKERS`. */
	bootstrap: string;
	dataDir: string;
	logFile: string;
	version: string;
	/** From launching java to the first metadata answer. */
	readyMs?: number;
};

/**
 * Starts a single-node Apache Kafka (KRaft, broker and controller in one process) on 127.0.0.1,
 * detached so it outlives the caller; resolves when it answers a metadata request.
 */
export async function startBroker(options: StartOptions = {}, progress: Progress = silentProgress): Promise<StartResult> {
	const heap = options.heap ?? DEFAULT_HEAP;
	const initialRebalanceDelayMs = options.initialRebalanceDelayMs ?? DEFAULT_INITIAL_REBALANCE_DELAY_MS;
	validate(options.port, heap, initialRebalanceDelayMs);

	fs.mkdirSync(options.dataDir ?? defaultDataDir(), {recursive: true});
	const paths = brokerPaths(options.dataDir ?? defaultDataDir());
	fs.mkdirSync(paths.logsDir, {recursive: true});
	const release = await acquireLock(paths, holder => progress(`waiting for another kchat (pid ${holder}) that is starting or stopping this broker…`));
	try {
		const previous = readState(paths);
		const {pid: runningAlready} = runningPid(paths);
		if (runningAlready !== undefined && previous) {
			return {...describe(paths, previous), alreadyRunning: true, pid: runningAlready};
		}

		const port = options.port ?? previous?.port ?? DEFAULT_PORT;
		if (!(await isPortFree(port))) throw new BrokerError('port-in-use', `port ${port} is already in use by another process`);

		const java = findJava();
		const artifacts = await ensureArtifacts(progress);

		let controllerPort = previous?.controllerPort;
		if (controllerPort === undefined || controllerPort === port || !(await isPortFree(controllerPort))) {
			const fresh = await pickControllerPort(port);
			if (controllerPort !== undefined) progress(`controller port ${controllerPort} is taken now; using ${fresh}`);
			controllerPort = fresh;
		}
		const state: BrokerState = {
			version: KAFKA_VERSION,
			clusterId: formattedClusterId(paths) ?? previous?.clusterId ?? newClusterId(),
			port,
			controllerPort,
			heap,
			initialRebalanceDelayMs,
		};
		fs.writeFileSync(paths.serverProperties, serverProperties({port, controllerPort, kafkaDataDir: paths.kafkaData, initialRebalanceDelayMs}));
		fs.writeFileSync(paths.log4jConfig, log4j2Properties(paths.logsDir));
		writeState(paths, state);

		if (!isFormatted(paths)) {
			progress(`formatting Kafka storage in ${paths.kafkaData} (cluster id ${state.clusterId})…`);
			await formatStorage(java.command, artifacts.classpath, paths, state.clusterId);
		}

		progress(`starting Apache Kafka ${KAFKA_VERSION} on ${DEFAULT_HOST}:${port}…`);
		const launched = launch(java.command, paths, artifacts.classpath, heap);
		const ready = await waitReady({
			bootstrap: `${DEFAULT_HOST}:${port}`,
			timeoutMs: options.readyTimeoutMs ?? 60_000,
			hasExited: () => launched.exited !== undefined || !isAlive(launched.pid),
		});
		if (!ready.ok) {
			if (isAlive(launched.pid)) await terminate(launched.pid, 5_000).catch(() => {});
			removePid(paths);
			throw new BrokerError('start-failed', failureMessage(paths, launched, ready.reason, ready.ms));
		}
		writeState(paths, {...state, pid: launched.pid, startedAt: new Date().toISOString()});
		return {...describe(paths, state), alreadyRunning: false, pid: launched.pid, readyMs: ready.ms};
	} finally {
		release();
	}
}

function validate(port: number | undefined, heap: string, delay: number): void {
	if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
		throw new BrokerError('invalid-option', `port ${port} is not a TCP port (1-65535)`);
	}
	if (!isHeapSize(heap)) throw new BrokerError('invalid-option', `heap size "${heap}" is not valid: expected a number with k, m or g, e.g. 512m`);
	if (!(Number.isInteger(delay) && delay >= 0)) throw new BrokerError('invalid-option', `initial rebalance delay ${delay} is not a whole number of milliseconds`);
}

async function pickControllerPort(clientPort: number): Promise<number> {
	for (;;) {
		const port = await freePort();
		if (port !== clientPort) return port;
	}
}

function describe(paths: BrokerPaths, state: BrokerState): Omit<StartResult, 'alreadyRunning' | 'pid'> {
	return {
		port: state.port,
		bootstrap: `${DEFAULT_HOST}:${state.port}`,
		dataDir: paths.dataDir,
		logFile: paths.serverLog,
		version: state.version,
	};
}

type Launched = {
	pid: number;
	readonly exited: {code: number | null; signal: NodeJS.Signals | null} | undefined;
	/** Where this run starts in each log, so a failure shows only its own lines. */
	serverLogFrom: number;
	consoleLogFrom: number;
};

/** java, detached into its own session, its console into kafka.out; the pid file written at once. */
function launch(java: string, paths: BrokerPaths, classpath: string, heap: string): Launched {
	const serverLogFrom = fileSize(paths.serverLog);
	fs.appendFileSync(paths.consoleLog, `--- ${new Date().toISOString()} kchat broker start: Apache Kafka ${KAFKA_VERSION}\n`);
	const consoleLogFrom = fileSize(paths.consoleLog);
	const out = fs.openSync(paths.consoleLog, 'a');
	let child;
	try {
		const args = brokerArgs({classpath, heap, log4jConfig: paths.log4jConfig, logsDir: paths.logsDir, serverProperties: paths.serverProperties});
		child = spawn(java, args, {cwd: paths.logsDir, detached: true, stdio: ['ignore', out, out]});
	} finally {
		fs.closeSync(out);
	}
	let exited: Launched['exited'];
	child.once('exit', (code, signal) => (exited = {code, signal}));
	child.once('error', () => (exited ??= {code: null, signal: null}));
	if (child.pid === undefined) throw new BrokerError('start-failed', `could not run ${java}`);
	const launched: Launched = {
		pid: child.pid,
		serverLogFrom,
		consoleLogFrom,
		get exited() {
			return exited;
		},
	};
	child.unref();
	writePid(paths, child.pid);
	return launched;
}

function failureMessage(paths: BrokerPaths, launched: Launched, reason: 'exited' | 'timeout', ms: number): string {
	const why =
		reason === 'timeout'
			? `did not answer within ${Math.round(ms / 1000)} s and was stopped`
			: `exited${launched.exited?.code != null ? ` with code ${launched.exited.code}` : launched.exited?.signal ? ` on ${launched.exited.signal}` : ''} after ${(ms / 1000).toFixed(1)} s`;
	const parts = [`Apache Kafka ${why}.`];
	const server = failureExcerpt(paths.serverLog, launched.serverLogFrom);
	const jvm = failureExcerpt(paths.consoleLog, launched.consoleLogFrom);
	if (jvm.length > 0) parts.push(`Last lines of ${paths.consoleLog}:`, ...jvm.map(line => `  ${line}`));
	if (server.length > 0) parts.push(`Last lines of ${paths.serverLog}:`, ...server.map(line => `  ${line}`));
	if (server.length === 0 && jvm.length === 0) parts.push(`Its log is empty: ${paths.serverLog}`);
	else parts.push(`Full log: ${paths.serverLog}`);
	return parts.join('\n');
}
