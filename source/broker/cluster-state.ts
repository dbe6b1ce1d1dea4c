// `kchat-cluster.json`: what kchat decided for a cluster's data directory. Each node lives in
// `<data-dir>/node-<id>`, laid out like a single broker's data directory (broker-paths.ts).
import fs from 'node:fs';
import path from 'node:path';
import {brokerPaths, type BrokerPaths} from './broker-paths.js';
import {isPort, isSasl, isTls, readJsonObject, writeJson} from './broker-state.js';
import {isClusterId} from './cluster-id.js';

export type ClusterNode = {
	id: number;
	/** The client listener on 127.0.0.1. */
	port: number;
	/** The controller listener: fixed once formatted (the quorum's voter set names it). */
	controllerPort: number;
	/** The node's metadata log directory id, named in the voter set (`--initial-controllers`). */
	directoryId: string;
};

export type ClusterState = {
	version: string;
	clusterId: string;
	heap: string;
	initialRebalanceDelayMs: number;
	nodes: ClusterNode[];
	/** An SSL (or SASL_SSL) listener on every node; `clientAuth`: clients must show a certificate. */
	tls?: {clientAuth: boolean};
	/** SCRAM users added when the storage was formatted (names only). */
	sasl?: {users: string[]};
	startedAt?: string;
};

export type ClusterPaths = {
	dataDir: string;
	stateFile: string;
	/** The root's lock and log folder, as for a single broker (acquireLock takes BrokerPaths). */
	root: BrokerPaths;
	/** The broker's own SCRAM password, shared by all nodes (mode 0600). */
	interBrokerSecret: string;
	node(id: number): BrokerPaths;
};

export function clusterPaths(dataDir: string): ClusterPaths {
	const root = brokerPaths(dataDir);
	return {
		dataDir: root.dataDir,
		stateFile: path.join(root.dataDir, 'kchat-cluster.json'),
		root,
		interBrokerSecret: root.interBrokerSecret,
		node: id => brokerPaths(path.join(root.dataDir, `node-${id}`)),
	};
}

/** Holds a cluster (not a single broker): its state file is there. */
export const isClusterDir = (dataDir: string): boolean => fs.existsSync(clusterPaths(dataDir).stateFile);

export function readClusterState(paths: ClusterPaths): ClusterState | undefined {
	const raw = readJsonObject(paths.stateFile);
	if (!raw) return undefined;
	const s = raw as Partial<ClusterState>;
	if (typeof s.clusterId !== 'string' || !isClusterId(s.clusterId) || !Array.isArray(s.nodes) || s.nodes.length === 0 || !s.nodes.every(isNode)) return undefined;
	return {
		version: typeof s.version === 'string' ? s.version : 'unknown',
		clusterId: s.clusterId,
		heap: typeof s.heap === 'string' ? s.heap : '256m',
		initialRebalanceDelayMs: typeof s.initialRebalanceDelayMs === 'number' ? s.initialRebalanceDelayMs : 0,
		nodes: s.nodes.map(n => ({...n})),
		...(isTls(s.tls) ? {tls: {clientAuth: s.tls.clientAuth === true}} : {}),
		...(isSasl(s.sasl) ? {sasl: {users: [...s.sasl.users]}} : {}),
		...(typeof s.startedAt === 'string' ? {startedAt: s.startedAt} : {}),
	};
}

export function writeClusterState(paths: ClusterPaths, state: ClusterState): void {
	writeJson(paths.stateFile, state);
}

function isNode(value: unknown): value is ClusterNode {
	if (typeof value !== 'object' || value === null) return false;
	const n = value as Partial<ClusterNode>;
	return Number.isInteger(n.id) && isPort(n.port) && isPort(n.controllerPort) && typeof n.directoryId === 'string' && isClusterId(n.directoryId);
}

/**
 * Which node leads the KRaft quorum (the active controller), from the `quorum-state` file each voter
 * keeps in its metadata log directory: the newest epoch that names a leader wins. Undefined when none
 * knows (starting, or no quorum).
 */
export function quorumLeader(paths: ClusterPaths, nodes: readonly ClusterNode[], alive: (id: number) => boolean): number | undefined {
	let best: {leader: number; epoch: number} | undefined;
	for (const node of nodes) {
		if (!alive(node.id)) continue;
		try {
			const state = JSON.parse(fs.readFileSync(path.join(paths.node(node.id).kafkaData, '__cluster_metadata-0', 'quorum-state'), 'utf8')) as {leaderId?: unknown; leaderEpoch?: unknown};
			const leader = Number(state.leaderId);
			const epoch = Number(state.leaderEpoch);
			if (Number.isInteger(leader) && leader >= 0 && Number.isInteger(epoch) && (!best || epoch > best.epoch)) best = {leader, epoch};
		} catch {
			// not written yet
		}
	}
	return best && alive(best.leader) ? best.leader : undefined;
}
