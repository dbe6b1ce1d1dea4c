// Once per test run: a real local Kafka broker (or KCHAT_BROKERS), stopped at the end even when tests fail.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {TestProject} from 'vitest/node';
import {freePort, startBroker, stopBroker, streamProgress} from '../../source/broker/index.js';
import {clusterProbe as probe} from '../../source/kafka/cluster-probe.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const given = process.env['KCHAT_BROKERS']?.trim();
	if (given) {
		project.provide('brokers', given);
		return async () => {};
	}

	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-test-broker-'));
	const port = await freePort();
	const progress = streamProgress(process.stderr);
	let pid: number | undefined;
	// If the run is killed before the teardown, do not leave the broker or its data behind.
	const onExit = () => {
		if (pid !== undefined) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// already gone
			}
		}
		fs.rmSync(dataDir, {recursive: true, force: true});
	};
	process.once('exit', onExit);
	try {
		const broker = await startBroker({dataDir, port, heap: '512m', probe}, progress);
		pid = broker.pid;
		progress(`test broker: Apache Kafka ${broker.version} at ${broker.bootstrap} (pid ${broker.pid}, ready in ${broker.readyMs} ms, data ${dataDir})`);
		project.provide('brokers', broker.bootstrap);
	} catch (error) {
		process.off('exit', onExit);
		fs.rmSync(dataDir, {recursive: true, force: true});
		const reason = error instanceof Error ? error.message : String(error);
		throw new Error(
			`The test set-up could not start a local Kafka broker:\n${reason}\n` +
				'To test against a running broker instead, set KCHAT_BROKERS (after `docker compose up -d`: KCHAT_BROKERS=localhost:9092).',
		);
	}

	return async () => {
		try {
			await stopBroker(dataDir, progress, {graceMs: 15_000});
		} finally {
			process.off('exit', onExit);
			fs.rmSync(dataDir, {recursive: true, force: true});
		}
	};
}
