// Running one Kafka process (a single broker, or one node of a cluster) in the background, and saying
// why it failed when it did.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import {log4j2Properties} from './broker-config.js';
import {BrokerError} from './broker-error.js';
import type {BrokerPaths} from './broker-paths.js';
import {writePid} from './broker-state.js';
import {brokerArgs} from './java-command.js';
import {KAFKA_VERSION} from './kafka-version.js';
import {failureExcerpt, fileSize} from './log-tail.js';

export type Launched = {
	pid: number;
	readonly exited: {code: number | null; signal: NodeJS.Signals | null} | undefined;
	/** Where this run starts in each log, so a failure shows only its own lines. */
	serverLogFrom: number;
	consoleLogFrom: number;
};

/** java, detached into its own session, its console into kafka.out; the pid file written at once. */
export function launch(java: string, paths: BrokerPaths, classpath: string, heap: string): Launched {
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

/** What went wrong, with the lines of this run's logs that say why; `who` names a node of a cluster. */
export function failureMessage(paths: BrokerPaths, launched: Launched, reason: 'exited' | 'timeout', ms: number, who = 'Apache Kafka'): string {
	const why =
		reason === 'timeout'
			? `did not answer within ${Math.round(ms / 1000)} s and was stopped`
			: `exited${launched.exited?.code != null ? ` with code ${launched.exited.code}` : launched.exited?.signal ? ` on ${launched.exited.signal}` : ''} after ${(ms / 1000).toFixed(1)} s`;
	const parts = [`${who} ${why}.`];
	const server = failureExcerpt(paths.serverLog, launched.serverLogFrom);
	const jvm = failureExcerpt(paths.consoleLog, launched.consoleLogFrom);
	if (jvm.length > 0) parts.push(`Last lines of ${paths.consoleLog}:`, ...jvm.map(line => `  ${line}`));
	if (server.length > 0) parts.push(`Last lines of ${paths.serverLog}:`, ...server.map(line => `  ${line}`));
	if (server.length === 0 && jvm.length === 0) parts.push(`Its log is empty: ${paths.serverLog}`);
	else parts.push(`Full log: ${paths.serverLog}`);
	return parts.join('\n');
}

/** server.properties (only for our eyes when it holds a password) and the log4j2 configuration of a node. */
export function writeNodeConfig(paths: BrokerPaths, properties: string, secret: boolean): void {
	if (secret) {
		fs.writeFileSync(paths.serverProperties, properties, {mode: 0o600});
		fs.chmodSync(paths.serverProperties, 0o600);
	} else {
		fs.writeFileSync(paths.serverProperties, properties);
	}
	fs.writeFileSync(paths.log4jConfig, log4j2Properties(paths.logsDir));
}
