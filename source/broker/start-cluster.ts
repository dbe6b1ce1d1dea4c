// `kchat broker start --nodes 3`: three KRaft nodes on 127.0.0.1, each a broker and a controller (all
// three are quorum voters, so the cluster and its metadata quorum both survive losing any one node).
// Dedicated controllers would double the JVMs, which a 2-core machine cannot afford; Kafka documents
// combined nodes for development and small clusters.
import fs from 'node:fs';
import {DEFAULT_HOST, clientProtocol, saslListener, serverProperties, type SaslListener} from './broker-config.js';
import {BrokerError} from './broker-error.js';
import {defaultClusterDir} from './broker-paths.js';
import {acquireLock, isAlive, removePid, runningPid} from './broker-state.js';
import {newClusterId} from './cluster-id.js';
import {clusterPaths, readClusterState, writeClusterState, type ClusterNode, type ClusterPaths, type ClusterState} from './cluster-state.js';
import {formatStorage, formattedClusterId, isFormatted} from './format-storage.js';
import {KAFKA_VERSION} from './kafka-version.js';
import {failureMessage, launch, writeNodeConfig, type Launched} from './launch-node.js';
import {freePortExcept, isPortFree} from './ports.js';
import {findJava} from './preflight.js';
import {silentProgress, type Progress} from './progress.js';
import {ensureArtifacts} from './resolve-artifacts.js';
import {INTER_BROKER_USER, addScramArguments} from './scram-users.js';
import {checkSaslRequest, saslPlan, validate, validateUsers, type SaslPlan, type SaslRequest} from './start-options.js';
import {terminate} from './terminate.js';
import {tlsChoice, tlsMaterial, type TlsRequest, type TlsResult} from './tls-plan.js';
import {waitReady, type ProbeFactory, type ProbeTarget, type WaitResult} from './wait-ready.js';

export const CLUSTER_NODES = 3;
/** The first node's client port; the others follow (19092, 19093, 19094), beside a single broker on 9092. */
export const DEFAULT_CLUSTER_PORT = 19092;
/** Per node: three JVMs of ~0.4 GB resident each fit a 2-core, 24 GB machine beside everything else. */
export const DEFAULT_NODE_HEAP = '256m';

export type ClusterStartOptions = {
	/** How to ask a node whether it answers (the caller's Kafka client: see wait-ready.ts). */
	probe: ProbeFactory;
	/** Default: `~/.local/state/kchat/kafka-cluster`. */
	dataDir?: string;
	/** Only 3 for now: the smallest cluster that survives losing a node. */
	nodes?: number;
	/** The first node's client port (the others take the next ones); default: as last time, else 19092. */
	port?: number;
	/** Per node (-Xmx and -Xms). */
	heap?: string;
	initialRebalanceDelayMs?: number;
	/** How long to wait for all nodes to answer (default 180 s: three JVMs starting at once on two cores are slow). */
	readyTimeoutMs?: number;
	saslScram?: SaslRequest;
	/**
	 * An SSL (with SASL: SASL_SSL) listener on every node, with a CA and certificates made into the data
	 * directory; `clientAuth`: clients must show a certificate signed by that CA. Once on, TLS stays on.
	 */
	tls?: TlsRequest;
	/** With client auth: the nick to make a client certificate for (kept when it exists already). */
	clientCertificateFor?: string;
};

export type NodeInfo = {id: number; pid: number; port: number; bootstrap: string; dataDir: string; logFile: string};


export type ClusterStartResult = {
	/** Every node was running already: nothing was started. */
	alreadyRunning: boolean;
	/** The nodes this call started. */
	started: number[];
	/** `127.0.0.1:19092,127.0.0.1:19093,127.0.0.1:19094`, for `--brokers` / `KCHAT_BROKERS`. */
	bootstrap: string;
	nodes: NodeInfo[];
	dataDir: string;
	version: string;
	protocol: string;
	tls?: TlsResult;
	sasl?: SaslListener;
	/** From launching the JVMs until every node answered with all brokers in its metadata. */
	readyMs?: number;
};

/**
 * Starts the nodes of a cluster that are not running (all of them the first time, after formatting
 * their storage with one shared voter set), detached so they outlive the caller; resolves when every
 * node answers a metadata request that lists all the brokers.
 */
export async function startCluster(options: ClusterStartOptions, progress: Progress = silentProgress): Promise<ClusterStartResult> {
	const count = options.nodes ?? CLUSTER_NODES;
	if (count !== CLUSTER_NODES) throw new BrokerError('invalid-option', `a cluster has ${CLUSTER_NODES} nodes (not ${count}): Kafka's smallest quorum that survives losing one`);
	const heap = options.heap ?? DEFAULT_NODE_HEAP;
	const initialRebalanceDelayMs = options.initialRebalanceDelayMs ?? 0;
	validate(options.port, heap, initialRebalanceDelayMs);
	if (options.port !== undefined && options.port + count - 1 > 65535) throw new BrokerError('invalid-option', `ports ${options.port}-${options.port + count - 1} are not all TCP ports`);
	validateUsers(options.saslScram?.users ?? []);

	const dir = options.dataDir ?? defaultClusterDir();
	fs.mkdirSync(dir, {recursive: true});
	const paths = clusterPaths(dir);
	const release = await acquireLock(paths.root, holder => progress(`waiting for another kchat (pid ${holder}) that is starting or stopping this cluster…`));
	try {
		if (fs.existsSync(paths.root.stateFile) || isFormatted(paths.root)) {
			throw new BrokerError('invalid-option', `${paths.dataDir} holds a single broker: give the cluster its own --data-dir`);
		}
		const previous = readClusterState(paths);
		if (previous && previous.nodes.length !== count) throw new BrokerError('invalid-option', `${paths.dataDir} holds a cluster of ${previous.nodes.length} nodes, not ${count}`);
		const running = new Map<number, number>();
		for (const node of previous?.nodes ?? []) {
			const {pid} = runningPid(paths.node(node.id));
			if (pid !== undefined) running.set(node.id, pid);
		}
		if (options.saslScram && previous) checkSaslRequest(paths.dataDir, previous.sasl?.users, options.saslScram);
		const tls = tlsChoice(paths.dataDir, previous?.tls, options.tls, running.size > 0);

		if (previous && running.size === count) {
			const material = tls ? tlsMaterial(paths.dataDir, previous.nodes.map(n => n.id), tls.clientAuth, options.clientCertificateFor) : undefined;
			return describe(paths, previous, running, {alreadyRunning: true, started: [], ...(material ? {tls: material.result} : {})});
		}

		const nodes = await choosePorts(previous?.nodes, options.port, running, count);
		for (const node of nodes) {
			if (running.has(node.id)) continue;
			if (!(await isPortFree(node.port))) throw new BrokerError('port-in-use', `port ${node.port} (node ${node.id}) is already in use by another process`);
			if (!(await isPortFree(node.controllerPort))) {
				throw new BrokerError('port-in-use', `controller port ${node.controllerPort} of node ${node.id} is in use by another process; the quorum knows each node by it, so free it and start again`);
			}
		}

		const java = findJava();
		const artifacts = await ensureArtifacts(progress);
		let formatted = nodes.map(n => isFormatted(paths.node(n.id)));
		if (formatted.some(Boolean) && !formatted.every(Boolean)) {
			const missing = nodes.filter((_, i) => !formatted[i]).map(n => n.id);
			if (previous?.startedAt) {
				throw new BrokerError('start-failed', `the storage of node ${missing.join(', ')} in ${paths.dataDir} is gone while the others keep theirs; a node cannot rejoin with empty storage this way: use a fresh --data-dir`);
			}
			// A first start interrupted while formatting: nothing ran on that storage yet, so format all again.
			for (const node of nodes) fs.rmSync(paths.node(node.id).kafkaData, {recursive: true, force: true});
			formatted = nodes.map(() => false);
		}
		const isFresh = !formatted[0];
		const sasl = saslPlan(paths, !isFresh, previous?.sasl?.users, options.saslScram);
		const material = tls ? tlsMaterial(paths.dataDir, nodes.map(n => n.id), tls.clientAuth, options.clientCertificateFor) : undefined;
		const state: ClusterState = {
			version: KAFKA_VERSION,
			clusterId: previous?.clusterId ?? formattedClusterId(paths.node(1)) ?? newClusterId(),
			heap,
			initialRebalanceDelayMs,
			nodes,
			...(tls ? {tls} : {}),
			...(sasl ? {sasl: {users: sasl.names}} : {}),
		};
		const quorum = nodes.map(n => `${DEFAULT_HOST}:${n.controllerPort}`);
		for (const node of nodes) {
			if (running.has(node.id)) continue;
			const nodePaths = paths.node(node.id);
			fs.mkdirSync(nodePaths.logsDir, {recursive: true});
			const properties = serverProperties({
				port: node.port,
				controllerPort: node.controllerPort,
				nodeId: node.id,
				kafkaDataDir: nodePaths.kafkaData,
				initialRebalanceDelayMs,
				cluster: {quorum, brokers: count},
				...(sasl ? {saslScram: {interBrokerUser: INTER_BROKER_USER, interBrokerPassword: sasl.password}} : {}),
				...(material ? {tls: material.nodeFiles(node.id)} : {}),
			});
			writeNodeConfig(nodePaths, properties, sasl !== undefined);
		}
		writeClusterState(paths, state);

		if (isFresh) await formatAll(paths, state, java.command, artifacts.classpath, sasl, progress);

		const toStart = nodes.filter(n => !running.has(n.id));
		const protocol = clientProtocol({saslScram: sasl, tls});
		progress(`starting Apache Kafka ${KAFKA_VERSION}: node${toStart.length > 1 ? 's' : ''} ${toStart.map(n => `${n.id} on ${DEFAULT_HOST}:${n.port}`).join(', ')} (${protocol}, heap ${heap} each)…`);
		const launched = new Map<number, Launched>();
		for (const node of toStart) launched.set(node.id, launch(java.command, paths.node(node.id), artifacts.classpath, heap));
		const started = Date.now();
		const results = await waitForNodes(nodes, node => {
			const own = launched.get(node.id);
			return {
				target: probeTarget(node, sasl, material?.probeTls(node.id)),
				hasExited: own ? () => own.exited !== undefined || !isAlive(own.pid) : () => !isAlive(running.get(node.id) ?? -1),
			};
		}, id => launched.has(id), options, count, progress);
		const failures = results.flatMap((result, i) => (result.ok ? [] : [{result, node: nodes[i]!}]));
		if (failures.length > 0) {
			// The node that failed, not one that was given up because of it.
			const {node, result} = failures.find(f => f.result.reason !== 'given-up') ?? failures[0]!;
			await Promise.all([...launched].map(async ([id, run]) => {
				if (isAlive(run.pid)) await terminate(run.pid, 5_000).catch(() => {});
				removePid(paths.node(id));
			}));
			const own = launched.get(node.id);
			const reason = result.reason === 'exited' ? 'exited' : 'timeout';
			const why = own ? failureMessage(paths.node(node.id), own, reason, result.ms, `node ${node.id}`) : `node ${node.id} (pid ${running.get(node.id)}) did not answer: ${result.lastError ?? result.reason}`;
			throw new BrokerError('start-failed', `${why}\nThe nodes started now were stopped again.`);
		}
		const finalState = {...state, startedAt: new Date().toISOString()};
		writeClusterState(paths, finalState);
		for (const [id, run] of launched) running.set(id, run.pid);
		return describe(paths, finalState, running, {alreadyRunning: false, started: toStart.map(n => n.id), readyMs: Date.now() - started, ...(material ? {tls: material.result} : {})});
	} finally {
		release();
	}
}

/** Ports kept from the last start; new client ports only while no node runs; controller ports never change. */
async function choosePorts(previous: ClusterNode[] | undefined, port: number | undefined, running: ReadonlyMap<number, number>, count: number): Promise<ClusterNode[]> {
	if (previous) {
		const first = previous[0]!.port;
		if (port === undefined || port === first) return previous;
		if (running.size > 0) throw new BrokerError('invalid-option', `the cluster's nodes use ports ${first}-${first + count - 1}; stop it first to move it to ${port}`);
		return previous.map((n, i) => ({...n, port: port + i}));
	}
	const base = port ?? DEFAULT_CLUSTER_PORT;
	const clientPorts = Array.from({length: count}, (_, i) => base + i);
	const taken = [...clientPorts];
	const nodes: ClusterNode[] = [];
	for (let i = 0; i < count; i++) {
		const controllerPort = await freePortExcept(taken);
		taken.push(controllerPort);
		nodes.push({id: i + 1, port: clientPorts[i]!, controllerPort, directoryId: newClusterId()});
	}
	return nodes;
}

/** Formats every node with the same voter set (`--initial-controllers`) and, with SASL, the same SCRAM records. */
async function formatAll(paths: ClusterPaths, state: ClusterState, java: string, classpath: string, sasl: SaslPlan | undefined, progress: Progress): Promise<void> {
	progress(`formatting Kafka storage of ${state.nodes.length} nodes in ${paths.dataDir} (cluster id ${state.clusterId})${sasl ? ` with SCRAM users ${sasl.names.join(', ')}` : ''}…`);
	const voters = state.nodes.map(n => `${n.id}@${DEFAULT_HOST}:${n.controllerPort}:${n.directoryId}`).join(',');
	const addScram = sasl ? addScramArguments([...sasl.newUsers, {name: INTER_BROKER_USER, password: sasl.password}]) : undefined;
	await Promise.all(state.nodes.map(n => formatStorage(java, classpath, paths.node(n.id), state.clusterId, addScram, voters)));
}

function probeTarget(node: ClusterNode, sasl: SaslPlan | undefined, tls: ProbeTarget['tls']): ProbeTarget {
	return {
		bootstrap: `${DEFAULT_HOST}:${node.port}`,
		...(sasl ? {sasl: {mechanism: 'scram-sha-256', username: INTER_BROKER_USER, password: sasl.password}} : {}),
		...(tls ? {tls} : {}),
	};
}

/** A node's wait; `given-up`: stopped waiting because another node failed. */
type NodeWait = WaitResult | {ok: false; reason: 'given-up'; ms: number; lastError?: string};

/**
 * Waits for every node at once, showing which answer so far (three JVMs take a while on two cores);
 * as soon as one node fails the others are given up, so a failure is said at once.
 */
async function waitForNodes(
	nodes: readonly ClusterNode[],
	how: (node: ClusterNode) => {target: ProbeTarget; hasExited: () => boolean},
	launched: (id: number) => boolean,
	options: ClusterStartOptions,
	count: number,
	progress: Progress,
): Promise<NodeWait[]> {
	const started = Date.now();
	const answered = new Set<number>();
	let failed = false;
	const show = () => {
		const seconds = Math.round((Date.now() - started) / 1000);
		const states = nodes.map(n => `node ${n.id} ${answered.has(n.id) ? 'answers' : launched(n.id) ? 'starting' : 'running'}`).join(', ');
		progress(`waiting for ${count} nodes to answer with all ${count} brokers: ${states} (${seconds} s)`, {transient: true});
	};
	show();
	const ticker = setInterval(show, 5000);
	try {
		return await Promise.all(
			nodes.map(async (node): Promise<NodeWait> => {
				const {target, hasExited} = how(node);
				const result = await waitReady({probe: options.probe, target, hasExited: () => failed || hasExited(), brokers: count, timeoutMs: options.readyTimeoutMs ?? 180_000});
				if (result.ok) {
					answered.add(node.id);
					show();
					return result;
				}
				if (result.reason === 'exited' && !hasExited()) return {...result, reason: 'given-up'};
				failed = true;
				return result;
			}),
		);
	} finally {
		clearInterval(ticker);
	}
}

function describe(paths: ClusterPaths, state: ClusterState, pids: ReadonlyMap<number, number>, extra: Pick<ClusterStartResult, 'alreadyRunning' | 'started' | 'readyMs' | 'tls'>): ClusterStartResult {
	const protocol = clientProtocol({saslScram: state.sasl, tls: state.tls});
	return {
		...extra,
		bootstrap: state.nodes.map(n => `${DEFAULT_HOST}:${n.port}`).join(','),
		nodes: state.nodes.map(n => ({
			id: n.id,
			pid: pids.get(n.id) ?? 0,
			port: n.port,
			bootstrap: `${DEFAULT_HOST}:${n.port}`,
			dataDir: paths.node(n.id).dataDir,
			logFile: paths.node(n.id).serverLog,
		})),
		dataDir: paths.dataDir,
		version: state.version,
		protocol,
		...(state.sasl ? {sasl: saslListener(protocol, state.sasl.users)} : {}),
	};
}
