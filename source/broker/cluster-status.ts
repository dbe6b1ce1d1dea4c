import {DEFAULT_HOST, clientProtocol, saslListener, type SaslListener} from './broker-config.js';
import {runningPid} from './broker-state.js';
import {tlsPaths} from './certificates.js';
import {clusterPaths, quorumLeader, readClusterState} from './cluster-state.js';
import {isAnswering} from './ports.js';

export type NodeStatus = {
	id: number;
	port: number;
	/** Undefined when the node is not running. */
	pid?: number;
	/** Accepts connections on its client port. */
	answering: boolean;
	/** Every node is a broker and a controller (a quorum voter); one of them leads the quorum. */
	roles: 'broker,controller';
	quorumLeader: boolean;
	dataDir: string;
	logFile: string;
};

export type ClusterStatus = {
	dataDir: string;
	version: string;
	bootstrap: string;
	protocol: string;
	nodes: NodeStatus[];
	tls?: {caFile: string; clientAuth: boolean};
	sasl?: SaslListener;
};

/** The nodes of a cluster's data directory, running or not; undefined when it holds no cluster. */
export async function clusterStatus(dataDir: string): Promise<ClusterStatus | undefined> {
	const paths = clusterPaths(dataDir);
	const state = readClusterState(paths);
	if (!state) return undefined;
	const pids = new Map(state.nodes.map(n => [n.id, runningPid(paths.node(n.id)).pid]));
	const leader = quorumLeader(paths, state.nodes, id => pids.get(id) !== undefined);
	const protocol = clientProtocol({saslScram: state.sasl, tls: state.tls});
	const nodes = await Promise.all(
		state.nodes.map(async (n): Promise<NodeStatus> => {
			const pid = pids.get(n.id);
			return {
				id: n.id,
				port: n.port,
				...(pid !== undefined ? {pid} : {}),
				answering: pid !== undefined && (await isAnswering(n.port)),
				roles: 'broker,controller',
				quorumLeader: leader === n.id,
				dataDir: paths.node(n.id).dataDir,
				logFile: paths.node(n.id).serverLog,
			};
		}),
	);
	return {
		dataDir: paths.dataDir,
		version: state.version,
		bootstrap: state.nodes.map(n => `${DEFAULT_HOST}:${n.port}`).join(','),
		protocol,
		nodes,
		...(state.tls ? {tls: {caFile: tlsPaths(paths.dataDir).caCert, clientAuth: state.tls.clientAuth}} : {}),
		...(state.sasl ? {sasl: saslListener(protocol, state.sasl.users)} : {}),
	};
}
