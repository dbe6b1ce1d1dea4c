import fs from 'node:fs';
import os from 'node:os';

// A lock file says "this outbox belongs to a running kchat": its pid, the host, and when that process
// started. A pid alone is not enough: after a crash and a reboot (or a long day) another process may
// have the same pid, and its outbox would never be taken over. The start time tells them apart. A
// process on another host (a home folder shared over the network) cannot be asked: its lock counts
// while the process keeps touching it (see LOCK_TOUCH_MS), so that a container that got a new host name
// does not leave its predecessor's messages unsent for ever.

type LockInfo = {pid: number; host: string; start?: string};

/** A lock whose content cannot be read yet is being written: it counts as held for this long. */
const WRITING_MS = 10_000;
/** How often a running instance touches its lock. */
export const LOCK_TOUCH_MS = 60_000;
/** A lock from another host that has not been touched for this long belongs to a process that ended. */
const FOREIGN_STALE_MS = 10 * LOCK_TOUCH_MS;

/**
 * When process `pid` started, in clock ticks since boot (field 22 of /proc/PID/stat); undefined where
 * there is no /proc (then a live pid counts as the same process).
 */
export function processStart(pid: number): string | undefined {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name (field 2) is in parentheses and may hold spaces: count fields after its last ')'.
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
	} catch {
		return undefined;
	}
}

/** Creates the lock for this process; fails when the file exists (O_EXCL). */
export function createLock(file: string): void {
	const start = processStart(process.pid);
	const info: LockInfo = {pid: process.pid, host: os.hostname(), ...(start ? {start} : {})};
	fs.writeFileSync(file, JSON.stringify(info) + '\n', {flag: 'wx', mode: 0o600});
}

/** Says "still running" to instances on other hosts (see lockHeld). */
export function touchLock(file: string): void {
	const now = new Date();
	fs.utimesSync(file, now, now);
}

function age(file: string): number {
	try {
		return Date.now() - fs.statSync(file).mtimeMs;
	} catch {
		return Infinity;
	}
}

/** Whether the process that wrote this lock is still running (false when there is no lock). */
export function lockHeld(file: string): boolean {
	let info: LockInfo;
	try {
		info = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
		return age(file) < WRITING_MS;
	}
	if (typeof info.pid !== 'number') return false;
	if (info.host !== os.hostname()) return age(file) < FOREIGN_STALE_MS;
	try {
		process.kill(info.pid, 0);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
		// EPERM: it runs, as another user.
	}
	const start = processStart(info.pid);
	return start === undefined || info.start === undefined || start === info.start;
}
