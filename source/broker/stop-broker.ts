import fs from 'node:fs';
import {BrokerError} from './broker-error.js';
import {brokerPaths, defaultDataDir} from './broker-paths.js';
import {acquireLock, readState, removePid, runningPid, writeState} from './broker-state.js';
import {silentProgress, type Progress} from './progress.js';
import {terminate} from './terminate.js';

export type StopResult =
	| {wasRunning: true; pid: number; dataDir: string; forced: boolean; ms: number}
	| {wasRunning: false; dataDir: string; stalePid?: number};

export type StopOptions = {
	/** How long Kafka gets for a clean shutdown before SIGKILL. */
	graceMs?: number;
};

/** Stops the broker of a data directory (its pid file) and waits until the process has exited. */
export async function stopBroker(dataDir: string = defaultDataDir(), progress: Progress = silentProgress, options: StopOptions = {}): Promise<StopResult> {
	const paths = brokerPaths(dataDir);
	if (!fs.existsSync(paths.dataDir)) return {wasRunning: false, dataDir: paths.dataDir};
	const release = await acquireLock(paths, holder => progress(`waiting for another kchat (pid ${holder}) that is starting or stopping this broker…`));
	try {
		const {pid, stalePid} = runningPid(paths);
		if (pid === undefined) return {wasRunning: false, dataDir: paths.dataDir, ...(stalePid ? {stalePid} : {})};
		const started = Date.now();
		progress(`stopping Apache Kafka (pid ${pid})…`);
		let forced: boolean;
		try {
			({forced} = await terminate(pid, options.graceMs ?? 30_000));
		} catch (error) {
			throw new BrokerError('stop-failed', `could not stop the broker (pid ${pid}): ${error instanceof Error ? error.message : String(error)}`);
		}
		removePid(paths);
		const state = readState(paths);
		if (state) {
			delete state.pid;
			writeState(paths, state);
		}
		return {wasRunning: true, pid, dataDir: paths.dataDir, forced, ms: Date.now() - started};
	} finally {
		release();
	}
}
