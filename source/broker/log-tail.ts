import fs from 'node:fs';

/** The size of a file, 0 when it does not exist: where this run's part of a log starts. */
export function fileSize(file: string): number {
	try {
		return fs.statSync(file).size;
	} catch {
		return 0;
	}
}

/** The last `count` lines of a file (from byte `from` on), without reading more than the last `maxBytes`. */
export function tailLines(file: string, count: number, from = 0, maxBytes = 256 * 1024): string[] {
	let fd: number;
	try {
		fd = fs.openSync(file, 'r');
	} catch {
		return [];
	}
	try {
		const size = fs.fstatSync(fd).size;
		const start = Math.max(from, size - maxBytes);
		if (size <= start) return [];
		const buffer = Buffer.alloc(size - start);
		fs.readSync(fd, buffer, 0, buffer.length, start);
		const lines = buffer.toString('utf8').replace(/\x1b\[[0-9;]*m/g, '').split('\n');
		if (start > from) lines.shift(); // a partial first line
		while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
		return count === Infinity ? lines : count <= 0 ? [] : lines.slice(-count);
	} finally {
		fs.closeSync(fd);
	}
}

/**
 * What to show when a broker failed to start: its first ERROR lines (the cause; the end of the log is
 * mostly the shutdown that followed) and then its last lines, from this run only.
 */
export function failureExcerpt(file: string, from: number, last = 15): string[] {
	const lines = tailLines(file, Infinity, from);
	const tail = lines.slice(-last);
	const tailStart = lines.length - tail.length;
	const errors: string[] = [];
	for (let i = 0; i < tailStart && errors.length < 6; i++) {
		const line = lines[i] ?? '';
		if (!/\b(ERROR|FATAL)\b/.test(line)) continue;
		errors.push(line);
		const next = lines[i + 1];
		if (next !== undefined && i + 1 < tailStart && /^\S*(Exception|Error)\b/.test(next)) errors.push(next);
	}
	return errors.length > 0 ? [...errors, '...', ...tail] : tail;
}
