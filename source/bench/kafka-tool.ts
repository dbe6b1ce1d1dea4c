import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {findJava} from '../broker/preflight.js';
import type {Progress} from '../broker/progress.js';
import {ensureArtifacts} from '../broker/resolve-artifacts.js';
import type {SecuritySettings} from '../kafka/kafka-client.js';

/** What Kafka's `EndToEndLatency` prints: percentiles cut to whole milliseconds, an exact average. */
export type KafkaToolResult = {p50: number; p99: number; p999: number; avg: number; count: number};

export type KafkaToolOptions = {
	brokers: string[];
	topic: string;
	messages: number;
	/** `1` or `all`. */
	acks: '1' | 'all';
	/** Value bytes, and key and header sizes to match a kchat record. */
	recordSize: number;
	keySize: number;
	headers: number;
	headerKeySize: number;
	headerValueSize: number;
	security: SecuritySettings;
	tool: KafkaTool;
	timeoutMs?: number;
};

/** Java and the classpath with the `kafka-tools` jar. */
export type KafkaTool = {java: string; classpath: string; version: string};

/** Finds Java and the Kafka jars (resolving them with Maven the first time): done first, so a missing one fails fast. */
export async function prepareKafkaTool(progress: Progress): Promise<KafkaTool> {
	const java = findJava();
	const artifacts = await ensureArtifacts(progress);
	return {java: java.command, classpath: artifacts.classpath, version: artifacts.version};
}

export const TOOL_CLASS = 'org.apache.kafka.tools.EndToEndLatency';

/** `Avg latency: 1.8253 ms` and `Percentiles: 50th = 1, 99th = 9, 99.9th = 21`. */
export function parseToolOutput(output: string): Omit<KafkaToolResult, 'count'> | undefined {
	const avg = /Avg latency:\s*([\d.]+)\s*ms/.exec(output);
	const pct = /Percentiles:\s*50th\s*=\s*(\d+),\s*99th\s*=\s*(\d+),\s*99\.9th\s*=\s*(\d+)/.exec(output);
	if (!avg || !pct) return undefined;
	return {avg: Number(avg[1]), p50: Number(pct[1]), p99: Number(pct[2]), p999: Number(pct[3])};
}

/** The tool's client settings for a cluster with TLS or SASL (`--command-config`). */
function commandConfig(security: SecuritySettings): string | undefined {
	if (!security.ssl && !security.sasl) return undefined;
	const lines: string[] = [`security.protocol=${security.sasl ? (security.ssl ? 'SASL_SSL' : 'SASL_PLAINTEXT') : 'SSL'}`];
	if (security.ssl?.ca) lines.push('ssl.truststore.type=PEM', `ssl.truststore.location=${security.ssl.ca}`);
	if (security.ssl?.rejectUnauthorized === false) lines.push('ssl.endpoint.identification.algorithm=');
	if (security.sasl) {
		const {mechanism, username, password} = security.sasl;
		const quote = (s: string): string => JSON.stringify(s);
		if (mechanism === 'plain') {
			lines.push('sasl.mechanism=PLAIN', `sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=${quote(username)} password=${quote(password)};`);
		} else {
			lines.push(`sasl.mechanism=${mechanism.toUpperCase()}`, `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=${quote(username)} password=${quote(password)};`);
		}
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-bench-'));
	const file = path.join(dir, 'client.properties');
	fs.writeFileSync(file, lines.join('\n') + '\n', {mode: 0o600});
	return file;
}

/**
 * Runs Apache Kafka's own end-to-end latency tool (from the `kafka-tools` jar of the version kchat's
 * broker runs, resolved through Maven like the broker) against the same cluster: it sends one record,
 * waits until its consumer has it, and repeats.
 */
export async function runKafkaTool(options: KafkaToolOptions): Promise<KafkaToolResult> {
	const config = commandConfig(options.security);
	const args = [
		'-Xmx256m',
		'-cp',
		options.tool.classpath,
		TOOL_CLASS,
		'--bootstrap-server', options.brokers.join(','),
		'--topic', options.topic,
		'--num-records', String(options.messages),
		'--producer-acks', options.acks,
		'--record-size', String(options.recordSize),
		'--record-key-size', String(options.keySize),
		'--num-headers', String(options.headers),
		'--record-header-key-size', String(options.headerKeySize),
		'--record-header-size', String(options.headerValueSize),
		...(config ? ['--command-config', config] : []),
	];
	try {
		const {code, output} = await new Promise<{code: number | null; output: string}>((resolve, reject) => {
			const child = spawn(options.tool.java, args, {stdio: ['ignore', 'pipe', 'pipe']});
			let output = '';
			child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
			child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
			const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
			child.once('error', error => {
				clearTimeout(timer);
				reject(error);
			});
			child.once('close', exit => {
				clearTimeout(timer);
				resolve({code: exit, output});
			});
		});
		const parsed = parseToolOutput(output);
		if (code !== 0 || !parsed) {
			const tail = output.trim().split('\n').slice(-8).join('\n  ');
			throw new Error(`${TOOL_CLASS} failed (exit ${code}):\n  ${tail}`);
		}
		return {...parsed, count: options.messages};
	} finally {
		if (config) fs.rmSync(path.dirname(config), {recursive: true, force: true});
	}
}
