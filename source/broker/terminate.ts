import {isAlive} from './broker-state.js';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Waits until the process is gone; false if it still runs after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (isAlive(pid)) {
		if (Date.now() >= deadline) return false;
		await sleep(100);
	}
	return true;
}

/** SIGTERM (Kafka shuts down cleanly), then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function terminate(pid: number, graceMs: number): Promise<{forced: boolean}> {
	if (!signal(pid, 'SIGTERM')) return {forced: false};
	if (await waitForExit(pid, graceMs)) return {forced: false};
	signal(pid, 'SIGKILL');
	if (await waitForExit(pid, 10_000)) return {forced: true};
	throw new Error(`process ${pid} is still running after SIGKILL`);
}

function signal(pid: number, name: NodeJS.Signals): boolean {
	try {
		process.kill(pid, name);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
		throw error;
	}
}
