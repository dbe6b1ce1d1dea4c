import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {BrokerError} from './broker-error.js';
import type {BrokerPaths} from './broker-paths.js';
import {argFileText, formatArgs} from './java-command.js';

/** Kafka's storage is formatted once; `meta.properties` (with the cluster id) says it was. */
export const isFormatted = (paths: BrokerPaths): boolean => fs.existsSync(path.join(paths.kafkaData, 'meta.properties'));

/**
 * `kafka.tools.StorageTool format`, its output appended to the console log (and shown if it fails).
 * With SCRAM credentials (`--add-scram` values) the command line goes through a java @argfile readable
 * only by us and removed afterwards, so the credentials never show in the process list.
 */
export async function formatStorage(java: string, classpath: string, paths: BrokerPaths, clusterId: string, addScram?: readonly string[], initialControllers?: string): Promise<void> {
	let args = formatArgs({classpath, clusterId, log4jConfig: paths.log4jConfig, logsDir: paths.logsDir, serverProperties: paths.serverProperties, ...(addScram ? {addScram} : {}), ...(initialControllers ? {initialControllers} : {})});
	const argFile = path.join(paths.dataDir, `format-args.${process.pid}.tmp`);
	if (addScram && addScram.length > 0) {
		fs.writeFileSync(argFile, argFileText(args), {mode: 0o600});
		args = [`@${argFile}`];
	}
	try {
		await runFormat(java, args, paths);
	} finally {
		fs.rmSync(argFile, {force: true});
	}
}

async function runFormat(java: string, args: string[], paths: BrokerPaths): Promise<void> {
	const output = await new Promise<{code: number | null; text: string}>((resolve, reject) => {
		const child = spawn(java, args, {cwd: paths.logsDir, stdio: ['ignore', 'pipe', 'pipe']});
		let text = '';
		child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
		const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
		child.once('error', error => {
			clearTimeout(timer);
			reject(new BrokerError('missing-prerequisite', `could not run ${java}: ${error.message}`));
		});
		child.once('close', code => {
			clearTimeout(timer);
			resolve({code, text});
		});
	});
	fs.appendFileSync(paths.consoleLog, `--- ${new Date().toISOString()} kafka.tools.StorageTool format (exit ${output.code})\n${output.text}`);
	if (output.code !== 0) {
		const lines = output.text.trim().split('\n').slice(-15).map(line => `  ${line}`).join('\n');
		throw new BrokerError('format-failed', `formatting Kafka's storage in ${paths.kafkaData} failed (exit ${output.code}):\n${lines}`);
	}
}

/** The cluster id Kafka's storage was formatted with (`cluster.id` in meta.properties), if it was. */
export function formattedClusterId(paths: BrokerPaths): string | undefined {
	try {
		const text = fs.readFileSync(path.join(paths.kafkaData, 'meta.properties'), 'latin1');
		return /^cluster\.id=(\S+)\s*$/m.exec(text)?.[1];
	} catch {
		return undefined;
	}
}
