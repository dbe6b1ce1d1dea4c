import fs from 'node:fs';
import {brokerPaths, defaultDataDir} from './broker-paths.js';
import {tailLines} from './log-tail.js';

/** The broker's own log file (`<data-dir>/logs/server.log`). */
export const brokerLogFile = (dataDir: string = defaultDataDir()): string => brokerPaths(dataDir).serverLog;

/** The last `lines` lines of the broker's log (all with Infinity); undefined when there is no log. */
export function readBrokerLog(dataDir: string = defaultDataDir(), lines = 100): string[] | undefined {
	const file = brokerLogFile(dataDir);
	if (!fs.existsSync(file)) return undefined;
	return tailLines(file, lines, 0, lines === Infinity ? Number.MAX_SAFE_INTEGER : Math.max(256 * 1024, lines * 1024));
}

/**
 * Writes what is appended to the log from now on, until `signal` aborts; survives the file being
 * rolled over or recreated (like `tail -F`).
 */
export async function followBrokerLog(dataDir: string, write: (text: string) => void, signal?: AbortSignal, intervalMs = 250): Promise<void> {
	const file = brokerLogFile(dataDir);
	let position = sizeOf(file);
	let inode = inodeOf(file);
	while (!signal?.aborted) {
		await new Promise(resolve => setTimeout(resolve, intervalMs));
		const size = sizeOf(file);
		const currentInode = inodeOf(file);
		if (currentInode !== inode || size < position) {
			position = 0; // rolled over or recreated: the new file from its start
			inode = currentInode;
		}
		if (size <= position) continue;
		const fd = fs.openSync(file, 'r');
		try {
			const buffer = Buffer.alloc(Math.min(size - position, 4 * 1024 * 1024));
			const read = fs.readSync(fd, buffer, 0, buffer.length, position);
			position += read;
			write(buffer.subarray(0, read).toString('utf8'));
		} finally {
			fs.closeSync(fd);
		}
	}
}

function sizeOf(file: string): number {
	try {
		return fs.statSync(file).size;
	} catch {
		return 0;
	}
}

function inodeOf(file: string): number | undefined {
	try {
		return fs.statSync(file).ino;
	} catch {
		return undefined;
	}
}
