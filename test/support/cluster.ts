// The cluster tests' shared three-node cluster (mutual TLS on every node) and what they do to it:
// find the leader of a partition or of the quorum, kill a node, bring it back, wait until every
// replica is in sync again, and give clients the TLS settings of a nick.
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, inject} from 'vitest';
import type {Admin} from 'kafkajs';
import {clusterStatus, ensureClientCertificate, startCluster, stopCluster, streamProgress, tlsPaths, type ClusterStartResult} from '../../source/broker/index.js';
import {clusterProbe} from '../../source/kafka/cluster-probe.js';
import {createKafka, type SecuritySettings} from '../../source/kafka/kafka-client.js';
import {nullLogger} from '../../source/kafka/log-file.js';
import {stopAll} from './chat-instance.js';
import {CLI, type CliResult} from './run-cli.js';

declare module 'vitest' {
	export interface ProvidedContext {
		/** Where the cluster tests' cluster lives (see cluster-setup.ts). */
		cluster: {dataDir: string; port: number};
	}
}

export type TestCluster = {
	dataDir: string;
	brokers: string[];
	/** The CA file clients trust. */
	ca: string;
	/** TLS settings of a client with its own certificate, for a ChatService or an admin client. */
	security(nick: string): SecuritySettings;
	/** KCHAT_SSL_* for the built kchat as that nick (nothing inherited from the developer's environment). */
	env(nick: string): Record<string, string>;
};

/** Starts the shared cluster if it does not run yet (every node that is down), and says how to reach it. */
export async function sharedCluster(): Promise<TestCluster> {
	const {dataDir, port} = inject('cluster');
	const result = await startCluster({probe: clusterProbe, dataDir, port, heap: '256m', tls: {clientAuth: true}}, streamProgress(process.stderr));
	return describe(result);
}

function describe(result: ClusterStartResult): TestCluster {
	const tls = tlsPaths(result.dataDir);
	const certificate = (nick: string) => ensureClientCertificate(tls, nick);
	return {
		dataDir: result.dataDir,
		brokers: result.bootstrap.split(','),
		ca: tls.caCert,
		security: nick => {
			const c = certificate(nick);
			return {ssl: {ca: tls.caCert, cert: c.cert, key: c.key, rejectUnauthorized: true}};
		},
		env: nick => {
			const c = certificate(nick);
			return {...cleanEnv(), KCHAT_SSL_CA: tls.caCert, KCHAT_SSL_CERT: c.cert, KCHAT_SSL_KEY: c.key};
		},
	};
}

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-cluster-home-'));

/** No KCHAT_* security or broker settings from outside, and a throw-away home. */
export function cleanEnv(): Record<string, string> {
	const env: Record<string, string> = {KCHAT_HOME: home, KCHAT_BROKERS: ''};
	for (const name of ['KCHAT_SSL', 'KCHAT_SSL_CA', 'KCHAT_SSL_CERT', 'KCHAT_SSL_KEY', 'KCHAT_SSL_KEY_PASSWORD', 'KCHAT_SSL_INSECURE_SKIP_VERIFY', 'KCHAT_SASL_MECHANISM', 'KCHAT_SASL_USERNAME', 'KCHAT_SASL_PASSWORD']) env[name] = '';
	return env;
}

/**
 * For a test file: the shared cluster (started before the file's tests if it is not running) and an
 * admin client on it; afterwards the file's chat services are stopped and the admin disconnected.
 */
export function useCluster(): {readonly cluster: TestCluster; readonly admin: Admin} {
	const context = {} as {cluster: TestCluster; admin: Admin};
	beforeAll(async () => {
		context.cluster = await sharedCluster();
		context.admin = await clusterAdmin(context.cluster);
	});
	afterAll(async () => {
		await stopAll();
		await context.admin?.disconnect();
	});
	return context;
}

/** An admin client on the cluster (as the nick `kchat-test-admin`); disconnect it when done. */
export async function clusterAdmin(cluster: TestCluster): Promise<Admin> {
	const admin = createKafka({brokers: cluster.brokers, clientId: 'kchat-test-admin', logger: nullLogger, ...cluster.security('kchat-test-admin')}).admin();
	await admin.connect();
	return admin;
}

/** The node that leads a partition now. */
export async function partitionLeader(admin: Admin, topic: string, partition: number): Promise<number> {
	const {topics} = await admin.fetchTopicMetadata({topics: [topic]});
	const leader = topics[0]?.partitions.find(p => p.partitionId === partition)?.leader;
	if (leader === undefined || leader < 0) throw new Error(`${topic}[${partition}] has no leader`);
	return leader;
}

/** The running node's process id. */
export async function nodePid(cluster: TestCluster, id: number): Promise<number> {
	const pid = (await clusterStatus(cluster.dataDir))?.nodes.find(n => n.id === id)?.pid;
	if (pid === undefined) throw new Error(`node ${id} is not running`);
	return pid;
}

/** The node that leads the controller quorum, once one of the running nodes says so. */
export async function quorumLeader(cluster: TestCluster, timeoutMs = 60_000): Promise<number> {
	return poll(async () => (await clusterStatus(cluster.dataDir))?.nodes.find(n => n.quorumLeader)?.id, timeoutMs, 'a quorum leader');
}

/** kill -9 a node, resolving once its process is gone (it is not our child: no exit event to await). */
export async function killNode(cluster: TestCluster, id: number): Promise<number> {
	const pid = await nodePid(cluster, id);
	process.kill(pid, 'SIGKILL');
	await poll(async () => (isGone(pid) ? true : undefined), 30_000, `pid ${pid} to exit`);
	return pid;
}

/** Stops one node cleanly (SIGTERM: Kafka's controlled shutdown moves its leaderships away first). */
export async function stopNode(cluster: TestCluster, id: number): Promise<void> {
	await stopCluster(cluster.dataDir, {node: id, graceMs: 60_000});
}

/**
 * Until every replica of these topics is in sync again (what an operator waits for between two steps
 * of a rolling restart). Kafka has no event for it: metadata is polled.
 */
export async function untilInSync(admin: Admin, topics: string[], timeoutMs = 120_000): Promise<void> {
	await poll(
		async () => {
			const {topics: metadata} = await admin.fetchTopicMetadata({topics});
			return metadata.every(t => t.partitions.every(p => p.isr.length === p.replicas.length)) ? true : undefined;
		},
		timeoutMs,
		`all replicas of ${topics.join(', ')} in sync`,
	);
}

async function poll<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	for (;;) {
		try {
			const value = await check();
			if (value !== undefined) return value;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
		await new Promise(resolve => setTimeout(resolve, 200));
	}
}

function isGone(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch {
		return true;
	}
	try {
		return /^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return true;
	}
}

/** A running `kchat send` fed line by line, as a script or a person typing would. */
export type Sender = {write(line: string): void; end(): Promise<CliResult>};

export function startSender(args: string[], env: Record<string, string>): Sender {
	let stdout = '';
	let stderr = '';
	const child = execFile(process.execPath, [CLI, 'send', ...args], {env: {...process.env, ...env}, maxBuffer: 16 * 1024 * 1024}, () => {});
	child.stdout?.on('data', d => (stdout += d));
	child.stderr?.on('data', d => (stderr += d));
	const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
	return {
		write: line => void child.stdin?.write(line + '\n'),
		end: async () => {
			child.stdin?.end();
			const code = await exited;
			return {code, stdout, stderr};
		},
	};
}
