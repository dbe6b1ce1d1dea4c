// Once per run of the cluster tests: where their shared three-node cluster lives. The first test file
// starts it (startCluster is idempotent and locked), so a run without those files starts nothing and
// the other tests do not wait for it; the teardown stops it. KCHAT_TEST_CLUSTER=DIR uses a running
// cluster of yours instead (started with --tls-client-auth), and leaves it running.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {TestProject} from 'vitest/node';
import {clusterStatus, freePortRun, stopCluster, streamProgress} from '../../source/broker/index.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const given = process.env['KCHAT_TEST_CLUSTER']?.trim();
	if (given) {
		const status = await clusterStatus(given);
		if (!status?.tls?.clientAuth) throw new Error(`KCHAT_TEST_CLUSTER=${given} is not a cluster started with --tls-client-auth`);
		project.provide('cluster', {dataDir: status.dataDir, port: status.nodes[0]!.port});
		return async () => {};
	}
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-test-cluster-'));
	project.provide('cluster', {dataDir, port: await freePortRun(3)});
	// If the run is killed before the teardown, do not leave three JVMs behind.
	const onExit = () => {
		for (const name of fs.existsSync(dataDir) ? fs.readdirSync(dataDir) : []) {
			const pid = Number(readOr(path.join(dataDir, name, 'broker.pid')));
			if (pid > 0) {
				try {
					process.kill(pid, 'SIGKILL');
				} catch {
					// gone
				}
			}
		}
		fs.rmSync(dataDir, {recursive: true, force: true});
	};
	process.once('exit', onExit);
	return async () => {
		try {
			if (fs.existsSync(path.join(dataDir, 'kchat-cluster.json'))) await stopCluster(dataDir, {graceMs: 15_000}, streamProgress(process.stderr));
		} finally {
			process.off('exit', onExit);
			fs.rmSync(dataDir, {recursive: true, force: true});
		}
	};
}

function readOr(file: string): string {
	try {
		return fs.readFileSync(file, 'utf8').trim();
	} catch {
		return '';
	}
}
