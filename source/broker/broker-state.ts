import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import {BrokerError} from './broker-error.js';
import {brokerPaths, type BrokerPaths} from './broker-paths.js';
import {isClusterId} from './cluster-id.js';

/** `kchat-broker.json`: what kchat decided for this data directory and its last start. */
export type BrokerState = {
	/** The Kafka version that last ran on this data directory. */
	version: string;
	clusterId: string;
	port: number;
	/** Chosen once (a free port) and kept: the KRaft quorum's address. */
	controllerPort: number;
	heap: string;
	initialRebalanceDelayMs: number;
	/**
	 * Set when the client port is a SASL_PLAINTEXT listener with SCRAM (`--sasl-scram`): the users that
	 * were added when the storage was formatted (names only; Kafka keeps salted hashes, kchat nothing).
	 */
	sasl?: {users: string[]};
	/** An SSL (or SASL_SSL) client listener (`--tls`); `clientAuth`: clients must show a certificate. */
	tls?: {clientAuth: boolean};
	/** The broker's process id while it runs (also in `broker.pid`). */
	pid?: number;
	startedAt?: string;
};

/** A JSON object from a file kchat wrote; undefined when missing or not an object (then it is rewritten on the next start). */
export function readJsonObject(file: string): Record<string, unknown> | undefined {
	let raw: unknown;
	try {
		raw = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
	return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
}

export function writeJson(file: string, value: unknown): void {
	writeAtomically(file, JSON.stringify(value, null, '\t') + '\n');
}

export function readState(paths: BrokerPaths): BrokerState | undefined {
	const raw = readJsonObject(paths.stateFile);
	if (!raw) return undefined;
	const s = raw as Partial<BrokerState>;
	if (typeof s.clusterId !== 'string' || !isClusterId(s.clusterId) || !isPort(s.port) || !isPort(s.controllerPort)) return undefined;
	return {
		version: typeof s.version === 'string' ? s.version : 'unknown',
		clusterId: s.clusterId,
		port: s.port,
		controllerPort: s.controllerPort,
		heap: typeof s.heap === 'string' ? s.heap : '512m',
		initialRebalanceDelayMs: typeof s.initialRebalanceDelayMs === 'number' ? s.initialRebalanceDelayMs : 0,
		...(isSasl(s.sasl) ? {sasl: {users: [...s.sasl.users]}} : {}),
		...(isTls(s.tls) ? {tls: {clientAuth: s.tls.clientAuth === true}} : {}),
		...(typeof s.pid === 'number' ? {pid: s.pid} : {}),
		...(typeof s.startedAt === 'string' ? {startedAt: s.startedAt} : {}),
	};
}

export function writeState(paths: BrokerPaths, state: BrokerState): void {
	writeJson(paths.stateFile, state);
}

export const isSasl = (value: unknown): value is {users: string[]} =>
	typeof value === 'object' && value !== null && Array.isArray((value as {users?: unknown}).users) && (value as {users: unknown[]}).users.every(u => typeof u === 'string');

export const isTls = (value: unknown): value is {clientAuth?: unknown} => typeof value === 'object' && value !== null;

export const isPort = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0 && (value as number) < 65536;

export function readPid(paths: BrokerPaths): number | undefined {
	try {
		const pid = Number(fs.readFileSync(paths.pidFile, 'utf8').trim());
		return Number.isInteger(pid) && pid > 0 ? pid : undefined;
	} catch {
		return undefined;
	}
}

export function writePid(paths: BrokerPaths, pid: number): void {
	writeAtomically(paths.pidFile, `${pid}\n`);
}

export function removePid(paths: BrokerPaths): void {
	fs.rmSync(paths.pidFile, {force: true});
}

function writeAtomically(file: string, text: string): void {
	const temporary = `${file}.${process.pid}.tmp`;
	fs.writeFileSync(temporary, text);
	fs.renameSync(temporary, file);
}

/** True while a process with that id exists (a zombie counts as gone). */
export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return !/^\d+ \(.*\) Z/.test(stat);
	} catch {
		return true; // no /proc (macOS): kill(0) is all we have
	}
}

/** The command line of a process, arguments separated by spaces; undefined when it is gone. */
export function commandLine(pid: number): string | undefined {
	try {
		return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
	} catch {
		if (fs.existsSync('/proc/self/cmdline')) return undefined; // Linux, and the process is gone
	}
	try {
		return execFileSync('ps', ['-ww', '-o', 'command=', '-p', String(pid)], {encoding: 'utf8'}).trim() || undefined;
	} catch {
		return undefined;
	}
}

/** Is `pid` the Kafka broker of this data directory, and not some process that got its recycled id? */
export function isOurBroker(pid: number, paths: BrokerPaths): boolean {
	if (!isAlive(pid)) return false;
	const cmd = commandLine(pid);
	return cmd !== undefined && cmd.includes('kafka.Kafka') && cmd.includes(paths.serverProperties);
}

/** The pid of this data directory's running broker, or undefined (and a stale pid file removed). */
export function runningPid(paths: BrokerPaths): {pid?: number; stalePid?: number} {
	const pid = readPid(paths);
	if (pid === undefined) return {};
	if (isOurBroker(pid, paths)) return {pid};
	removePid(paths);
	return {stalePid: pid};
}

/**
 * One kchat at a time starts or stops the broker of a data directory: another one waits for it (two
 * `kchat --local` started together both end up on the one broker). A lock left by a process that died
 * is taken over.
 */
export async function acquireLock(paths: BrokerPaths, onWait: (holder: number) => void = () => {}, timeoutMs = 180_000): Promise<() => void> {
	const deadline = Date.now() + timeoutMs;
	let told = false;
	for (;;) {
		try {
			const fd = fs.openSync(paths.lockFile, 'wx');
			fs.writeSync(fd, `${process.pid}\n`);
			fs.closeSync(fd);
			return () => {
				if (readOr(paths.lockFile, '').trim() === String(process.pid)) fs.rmSync(paths.lockFile, {force: true});
			};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		const holder = Number(readOr(paths.lockFile, '').trim());
		const justCreated = !(holder > 0) && Date.now() - mtime(paths.lockFile) < 10_000; // its pid not written yet
		const held = justCreated || (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder));
		if (!held) {
			fs.rmSync(paths.lockFile, {force: true});
			continue;
		}
		if (Date.now() > deadline) {
			throw new BrokerError('busy', `another kchat${holder > 0 ? ` (pid ${holder})` : ''} has been starting or stopping the broker in ${paths.dataDir} for too long; if it hangs, end it, or remove ${paths.lockFile}`);
		}
		if (!told) {
			onWait(holder);
			told = true;
		}
		await new Promise(resolve => setTimeout(resolve, 200));
	}
}

function readOr(file: string, fallback: string): string {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return fallback;
	}
}

function mtime(file: string): number {
	try {
		return fs.statSync(file).mtimeMs;
	} catch {
		return 0;
	}
}

/** Holds a single broker kchat has started before (its `kchat-broker.json`). */
export const isBrokerDir = (dataDir: string): boolean => readState(brokerPaths(dataDir)) !== undefined;
