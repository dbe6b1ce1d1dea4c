import fs from 'node:fs';
import {BrokerError} from './broker-error.js';
import {DEFAULT_HOST, clientProtocol, saslListener, serverProperties, type SaslListener} from './broker-config.js';
import {brokerPaths, defaultDataDir, type BrokerPaths} from './broker-paths.js';
import {acquireLock, isAlive, readState, removePid, runningPid, writeState, type BrokerState} from './broker-state.js';
import {newClusterId} from './cluster-id.js';
import {formatStorage, formattedClusterId, isFormatted} from './format-storage.js';
import {KAFKA_VERSION} from './kafka-version.js';
import {failureMessage, launch, writeNodeConfig} from './launch-node.js';
import {isClusterDir} from './cluster-state.js';
import {checkSaslRequest, saslPlan, validate, validateUsers, type SaslRequest} from './start-options.js';
import {freePortExcept, isPortFree} from './ports.js';
import {findJava} from './preflight.js';
import {silentProgress, type Progress} from './progress.js';
import {ensureArtifacts} from './resolve-artifacts.js';
import {INTER_BROKER_USER, addScramArguments} from './scram-users.js';
import {terminate} from './terminate.js';
import {tlsChoice, tlsMaterial, type TlsRequest, type TlsResult} from './tls-plan.js';
import {waitReady, type ProbeFactory} from './wait-ready.js';

export const DEFAULT_PORT = 9092;
export const DEFAULT_HEAP = '512m';
export const DEFAULT_INITIAL_REBALANCE_DELAY_MS = 0;

export type StartOptions = {
	/** How to ask the broker whether it answers (the caller's Kafka client: see wait-ready.ts). */
	probe: ProbeFactory;
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
	/**
	 * SASL/SCRAM on the client port: a SASL_PLAINTEXT listener with SCRAM-SHA-256 and SCRAM-SHA-512.
	 * The users are added when the storage is formatted, so a fresh data directory needs at least one;
	 * a data directory formatted this way keeps SASL on every later start, with or without this option.
	 */
	saslScram?: SaslRequest;
	/** An SSL listener with certificates kchat makes into `<data-dir>/tls` (see start-cluster.ts); it stays on. */
	tls?: TlsRequest;
	/** With client auth: the nick to make a client certificate for (kept when it exists already). */
	clientCertificateFor?: string;
	/** Kafka settings added last to server.properties (tests: e.g. a PLAIN mechanism beside SCRAM). */
	extraProperties?: Readonly<Record<string, string>>;
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
	/** PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
	protocol: string;
	/** Set when clients must log in with SASL/SCRAM (`saslScram`). */
	sasl?: SaslListener;
	/** Set for a TLS listener: the CA file for clients, and the client certificate made, if any. */
	tls?: TlsResult;
	/** From launching java to the first metadata answer. */
	readyMs?: number;
};

/**
 * Starts a single-node Apache Kafka (KRaft, broker and controller in one process) on 127.0.0.1,
 * detached so it outlives the caller; resolves when it answers a metadata request.
 */
export async function startBroker(options: StartOptions, progress: Progress = silentProgress): Promise<StartResult> {
	const heap = options.heap ?? DEFAULT_HEAP;
	const initialRebalanceDelayMs = options.initialRebalanceDelayMs ?? DEFAULT_INITIAL_REBALANCE_DELAY_MS;
	validate(options.port, heap, initialRebalanceDelayMs);
	validateUsers(options.saslScram?.users ?? []);

	fs.mkdirSync(options.dataDir ?? defaultDataDir(), {recursive: true});
	const paths = brokerPaths(options.dataDir ?? defaultDataDir());
	fs.mkdirSync(paths.logsDir, {recursive: true});
	const release = await acquireLock(paths, holder => progress(`waiting for another kchat (pid ${holder}) that is starting or stopping this broker…`));
	try {
		if (isClusterDir(paths.dataDir)) throw new BrokerError('invalid-option', `${paths.dataDir} holds a cluster: start it with kchat broker start --data-dir ${paths.dataDir}`);
		const previous = readState(paths);
		const {pid: runningAlready} = runningPid(paths);
		const tls = tlsChoice(paths.dataDir, previous?.tls, options.tls, runningAlready !== undefined);
		if (runningAlready !== undefined && previous) {
			if (options.saslScram) checkSaslRequest(paths.dataDir, previous.sasl?.users, options.saslScram);
			const material = tls ? tlsMaterial(paths.dataDir, [1], tls.clientAuth, options.clientCertificateFor) : undefined;
			return {...describe(paths, previous), alreadyRunning: true, pid: runningAlready, ...(material ? {tls: material.result} : {})};
		}

		const port = options.port ?? previous?.port ?? DEFAULT_PORT;
		if (!(await isPortFree(port))) throw new BrokerError('port-in-use', `port ${port} is already in use by another process`);

		const java = findJava();
		const artifacts = await ensureArtifacts(progress);

		let controllerPort = previous?.controllerPort;
		if (controllerPort === undefined || controllerPort === port || !(await isPortFree(controllerPort))) {
			const fresh = await freePortExcept([port]);
			if (controllerPort !== undefined) progress(`controller port ${controllerPort} is taken now; using ${fresh}`);
			controllerPort = fresh;
		}
		const formatted = isFormatted(paths);
		const sasl = saslPlan(paths, formatted, previous?.sasl?.users, options.saslScram);
		const material = tls ? tlsMaterial(paths.dataDir, [1], tls.clientAuth, options.clientCertificateFor) : undefined;
		const state: BrokerState = {
			version: KAFKA_VERSION,
			clusterId: formattedClusterId(paths) ?? previous?.clusterId ?? newClusterId(),
			port,
			controllerPort,
			heap,
			initialRebalanceDelayMs,
			...(sasl ? {sasl: {users: sasl.names}} : {}),
			...(tls ? {tls} : {}),
		};
		const properties = serverProperties({
			port,
			controllerPort,
			kafkaDataDir: paths.kafkaData,
			initialRebalanceDelayMs,
			...(sasl ? {saslScram: {interBrokerUser: INTER_BROKER_USER, interBrokerPassword: sasl.password}} : {}),
			...(material ? {tls: material.nodeFiles(1)} : {}),
			...(options.extraProperties ? {extra: options.extraProperties} : {}),
		});
		writeNodeConfig(paths, properties, sasl !== undefined);
		writeState(paths, state);

		if (!formatted) {
			progress(`formatting Kafka storage in ${paths.kafkaData} (cluster id ${state.clusterId})${sasl ? ` with SCRAM users ${sasl.names.join(', ')}` : ''}…`);
			const addScram = sasl ? addScramArguments([...sasl.newUsers, {name: INTER_BROKER_USER, password: sasl.password}]) : undefined;
			await formatStorage(java.command, artifacts.classpath, paths, state.clusterId, addScram);
		}

		const protocol = clientProtocol({saslScram: sasl, tls});
		progress(`starting Apache Kafka ${KAFKA_VERSION} on ${DEFAULT_HOST}:${port}${protocol === 'PLAINTEXT' ? '' : ` (${protocol}${sasl ? ', SCRAM' : ''})`}…`);
		const launched = launch(java.command, paths, artifacts.classpath, heap);
		const ready = await waitReady({
			probe: options.probe,
			target: {
				bootstrap: `${DEFAULT_HOST}:${port}`,
				...(sasl ? {sasl: {mechanism: 'scram-sha-256', username: INTER_BROKER_USER, password: sasl.password}} : {}),
				...(material ? {tls: material.probeTls(1)} : {}),
			},
			timeoutMs: options.readyTimeoutMs ?? 60_000,
			hasExited: () => launched.exited !== undefined || !isAlive(launched.pid),
		});
		if (!ready.ok) {
			if (isAlive(launched.pid)) await terminate(launched.pid, 5_000).catch(() => {});
			removePid(paths);
			throw new BrokerError('start-failed', failureMessage(paths, launched, ready.reason, ready.ms));
		}
		writeState(paths, {...state, pid: launched.pid, startedAt: new Date().toISOString()});
		return {...describe(paths, state), alreadyRunning: false, pid: launched.pid, readyMs: ready.ms, ...(material ? {tls: material.result} : {})};
	} finally {
		release();
	}
}

function describe(paths: BrokerPaths, state: BrokerState): Omit<StartResult, 'alreadyRunning' | 'pid'> {
	const protocol = clientProtocol({saslScram: state.sasl, tls: state.tls});
	return {
		protocol,
		port: state.port,
		bootstrap: `${DEFAULT_HOST}:${state.port}`,
		dataDir: paths.dataDir,
		logFile: paths.serverLog,
		version: state.version,
		...(state.sasl ? {sasl: saslListener(protocol, state.sasl.users)} : {}),
	};
}
