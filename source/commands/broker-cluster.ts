// `kchat broker` for a cluster (`start --nodes 3`, and status/stop/logs of its data dir) and TLS
// (client-cert, what a start says about its listener): what it prints. broker.ts parses the flags and routes here.
import fs from 'node:fs';
import {
	brokerStatus,
	clusterStatus,
	defaultClusterDir,
	defaultDataDir,
	ensureClientCertificate,
	isBrokerDir,
	isClusterDir,
	startCluster,
	stopCluster,
	streamProgress,
	tlsPaths,
	type ClusterStartOptions,
	type ClusterStartResult,
	type ClientCertificate,
} from '../broker/index.js';
import {printBrokerLog} from './broker-logs.js';
import {shellWord} from './shell-word.js';

/**
 * The data directory status, stop and logs act on: the one named; else the default cluster's when a node
 * is named or no broker is in the default broker's dir (and the default cluster dir holds a cluster);
 * else the default broker's.
 */
export function resolveDataDir(flag: string | undefined, nodeNamed = false): string {
	if (flag !== undefined) return flag;
	if (nodeNamed) return defaultClusterDir();
	const single = defaultDataDir();
	if (!isBrokerDir(single) && !isClusterDir(single) && isClusterDir(defaultClusterDir())) return defaultClusterDir();
	return single;
}

/** Options hint for commands printed back to the user: `--data-dir DIR` unless status, stop and logs find it by themselves. */
const dirOption = (dir: string): string => (dir === resolveDataDir(undefined) ? '' : ` --data-dir ${shellWord(dir)}`);

export async function startClusterCommand(options: Omit<ClusterStartOptions, 'probe'>): Promise<number> {
	const {clusterProbe} = await import('../kafka/cluster-probe.js');
	// Used only when the cluster asks for client certificates (said now, or when it was made).
	const nick = (await import('./session.js')).defaultNick();
	const result = await startCluster({...options, probe: clusterProbe, ...(nick ? {clientCertificateFor: nick} : {})}, streamProgress(process.stderr));
	const dir = dirOption(result.dataDir);
	const lines = [
		result.alreadyRunning
			? `Apache Kafka ${result.version}: the cluster of ${result.nodes.length} nodes in ${result.dataDir} is already running`
			: `Apache Kafka ${result.version}: a cluster of ${result.nodes.length} nodes is running (node${result.started.length > 1 ? 's' : ''} ${result.started.join(', ')} started; all answered after ${((result.readyMs ?? 0) / 1000).toFixed(1)} s)`,
		`  bootstrap  ${result.bootstrap}`,
		...result.nodes.map(n => `  node ${n.id}     pid ${n.pid}, port ${n.port}, broker,controller, log ${n.logFile}`),
		...securityLines(result),
		`  data dir   ${result.dataDir}`,
		`Use it: ${clientEnv(result)}kchat --brokers ${result.bootstrap}`,
		`Status: kchat broker status${dir}   Stop: kchat broker stop${dir}   One node: kchat broker stop${dir} --node N, then kchat broker start${dir}`,
		...(result.tls?.clientAuth ? [`A client certificate for another nick: kchat broker client-cert NICK${dir}`] : []),
		'',
	];
	process.stdout.write(lines.join('\n'));
	return 0;
}

type Security = Pick<ClusterStartResult, 'protocol' | 'tls' | 'sasl'>;

/** The listener, CA and client certificate lines of a start's report (none for PLAINTEXT). */
export function securityLines(result: Security): string[] {
	if (result.protocol === 'PLAINTEXT') return [];
	const parts: string[] = [result.protocol];
	if (result.tls?.clientAuth) parts.push('client certificates required');
	if (result.sasl) parts.push(`${result.sasl.mechanisms.join(', ')}; users ${result.sasl.users.join(', ') || 'none'}`);
	return [
		`  listener   ${parts.join(', ')}`,
		...(result.tls ? [`  CA         ${result.tls.caFile}   (clients: KCHAT_SSL_CA)`] : []),
		...(result.tls?.clientCertificate ? [`  client     ${describeCertificate(result.tls.clientCertificate)}`] : []),
	];
}

const describeCertificate = (c: ClientCertificate): string => `${c.nick}${c.created ? ' (new)' : ''}: certificate ${c.cert}, key ${c.key}`;

/** The environment a kchat client needs for this cluster (the SASL password is the user's to add). */
export function clientEnv(result: Security): string {
	const parts: string[] = [];
	if (result.tls) parts.push(`KCHAT_SSL_CA=${shellWord(result.tls.caFile)}`);
	const certificate = result.tls?.clientCertificate;
	if (certificate) parts.push(`KCHAT_SSL_CERT=${shellWord(certificate.cert)}`, `KCHAT_SSL_KEY=${shellWord(certificate.key)}`);
	else if (result.tls?.clientAuth) parts.push('KCHAT_SSL_CERT=… KCHAT_SSL_KEY=…');
	if (result.sasl) parts.push(`KCHAT_SASL_MECHANISM=scram-sha-256 KCHAT_SASL_USERNAME=${result.sasl.users[0] ?? 'NAME'} KCHAT_SASL_PASSWORD=…`);
	return parts.length > 0 ? parts.join(' ') + ' ' : '';
}

/** One line per node; exit 0 when every node runs, 1 otherwise. */
export async function clusterStatusCommand(dataDir: string): Promise<number> {
	const status = await clusterStatus(dataDir);
	if (!status) {
		process.stdout.write(`no cluster in ${dataDir}\n`);
		return 1;
	}
	for (const node of status.nodes) {
		const role = `broker,controller${node.quorumLeader ? ' (quorum leader)' : ''}`;
		const state = node.pid === undefined ? 'not running' : `running, pid ${node.pid}${node.answering ? '' : ' (not answering yet)'}`;
		process.stdout.write(`node ${node.id}: ${state}, port ${node.port}, ${role}, data dir ${node.dataDir}\n`);
	}
	return status.nodes.every(n => n.pid !== undefined) ? 0 : 1;
}

export async function stopClusterCommand(dataDir: string, node: number | undefined): Promise<number> {
	const result = await stopCluster(dataDir, node === undefined ? {} : {node}, streamProgress(process.stderr));
	const stopped = result.nodes.filter(n => n.wasRunning).length;
	for (const n of result.nodes) {
		const how = n.forced ? ', killed after it did not shut down in time' : stopped === 1 ? ` in ${(result.ms / 1000).toFixed(1)} s` : '';
		process.stdout.write(n.wasRunning ? `stopped node ${n.id} (pid ${n.pid})${how}\n` : `node ${n.id} was not running\n`);
	}
	if (stopped > 1) process.stdout.write(`${stopped} nodes stopped in ${(result.ms / 1000).toFixed(1)} s\n`);
	return 0;
}

/** The log of one node (`--node N`), like a single broker's. */
export async function clusterLogsCommand(dataDir: string, node: number | undefined, lines: number, follow: boolean): Promise<number> {
	const status = await clusterStatus(dataDir);
	const ids = status?.nodes.map(n => n.id) ?? [];
	const entry = status?.nodes.find(n => n.id === node);
	if (node === undefined || !entry) {
		process.stderr.write(`kchat broker logs: ${node === undefined ? 'which node? ' : `the cluster has no node ${node}: `}use --node ${ids.join('|')} (the cluster in ${dataDir})\n`);
		return 2;
	}
	return printBrokerLog(entry.dataDir, lines, follow, `has node ${node} been started?`);
}

/** `kchat broker client-cert NICK`: a client certificate signed by the CA of a TLS broker or cluster, and how to use it. */
export async function clientCertCommand(dataDir: string, nick: string): Promise<number> {
	const cluster = await clusterStatus(dataDir);
	const single = cluster ? undefined : await brokerStatus(dataDir);
	const tls = cluster?.tls ?? (single?.running ? single.tls : undefined);
	const paths = tlsPaths(cluster?.dataDir ?? single?.dataDir ?? dataDir);
	if (!fs.existsSync(paths.caKey)) {
		process.stderr.write(`kchat broker client-cert: no TLS CA in ${dataDir}: start the broker with --tls-client-auth (or name its --data-dir)\n`);
		return 1;
	}
	const certificate = ensureClientCertificate(paths, nick);
	const bootstrap = cluster?.bootstrap ?? (single?.running ? single.bootstrap : undefined);
	process.stdout.write(
		[
			`${certificate.created ? 'made' : 'already there'}: a client certificate for ${nick}, signed by ${paths.caCert}`,
			`  certificate  ${certificate.cert}`,
			`  key          ${certificate.key}`,
			`Use it: KCHAT_SSL_CA=${shellWord(paths.caCert)} KCHAT_SSL_CERT=${shellWord(certificate.cert)} KCHAT_SSL_KEY=${shellWord(certificate.key)} kchat --user ${nick}${bootstrap ? ` --brokers ${bootstrap}` : ''}`,
			...(tls && !tls.clientAuth ? ['(this broker does not ask for client certificates: restart it with --tls-client-auth to require them)'] : []),
			'',
		].join('\n'),
	);
	return 0;
}
