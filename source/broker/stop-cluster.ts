import {BrokerError} from './broker-error.js';
import {acquireLock, removePid, runningPid} from './broker-state.js';
import {clusterPaths, readClusterState} from './cluster-state.js';
import {silentProgress, type Progress} from './progress.js';
import {terminate} from './terminate.js';

export type NodeStop = {id: number; wasRunning: boolean; pid?: number; forced?: boolean};
export type ClusterStopResult = {dataDir: string; nodes: NodeStop[]; ms: number};

/**
 * Stops the nodes of a cluster (or one of them, `node`), all at once: each shuts down cleanly while the
 * others still form a quorum. Waits until every process has exited.
 */
export async function stopCluster(dataDir: string, options: {node?: number; graceMs?: number} = {}, progress: Progress = silentProgress): Promise<ClusterStopResult> {
	const paths = clusterPaths(dataDir);
	const state = readClusterState(paths);
	if (!state) throw new BrokerError('invalid-option', `${paths.dataDir} holds no cluster`);
	if (options.node !== undefined && !state.nodes.some(n => n.id === options.node)) {
		throw new BrokerError('invalid-option', `the cluster has no node ${options.node} (nodes ${state.nodes.map(n => n.id).join(', ')})`);
	}
	const release = await acquireLock(paths.root, holder => progress(`waiting for another kchat (pid ${holder}) that is starting or stopping this cluster…`));
	const started = Date.now();
	try {
		const nodes = state.nodes.filter(n => options.node === undefined || n.id === options.node);
		const running = nodes.map(n => ({id: n.id, pid: runningPid(paths.node(n.id)).pid}));
		const pids = running.filter(r => r.pid !== undefined);
		if (pids.length > 0) progress(`stopping Apache Kafka: ${pids.map(r => `node ${r.id} (pid ${r.pid})`).join(', ')}…`);
		const stops = await Promise.all(
			running.map(async ({id, pid}): Promise<NodeStop> => {
				if (pid === undefined) return {id, wasRunning: false};
				try {
					const {forced} = await terminate(pid, options.graceMs ?? 30_000);
					removePid(paths.node(id));
					return {id, wasRunning: true, pid, forced};
				} catch (error) {
					throw new BrokerError('stop-failed', `could not stop node ${id} (pid ${pid}): ${error instanceof Error ? error.message : String(error)}`);
				}
			}),
		);
		return {dataDir: paths.dataDir, nodes: stops, ms: Date.now() - started};
	} finally {
		release();
	}
}
