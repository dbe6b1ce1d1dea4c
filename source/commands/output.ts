// Standard output as the Unix tools treat it. Writes into a pipe are queued when the reader is slower
// than kchat, and `process.exit()` drops the queue (a tail into `(sleep 3; wc -l)` lost 9 lines in
// 10): flushOutput() waits until the reader has it all. A reader that goes away (`| head -1`) is an
// EPIPE error on the stream, which Node throws when nobody listens: here it only means "stop
// printing", and the commands decide what else it means (tail ends, send still delivers).

import process from 'node:process';

let closed = false;
const onClose: Array<() => void> = [];

function watch(stream: NodeJS.WriteStream, isStdout: boolean): void {
	stream.on('error', () => {
		// EPIPE (the reader left) or any other write error: nothing more can be written there.
		if (!isStdout || closed) return;
		closed = true;
		for (const callback of onClose.splice(0)) callback();
	});
}

let watching = false;

/** Installs the error handlers once (at start, before anything is written). */
export function watchOutput(): void {
	if (watching) return;
	watching = true;
	watch(process.stdout, true);
	watch(process.stderr, false);
}

/** True once the reader of standard output has gone away. */
export const stdoutClosed = (): boolean => closed;

/** Calls back (once) when the reader of standard output goes away. */
export function whenStdoutCloses(callback: () => void): void {
	if (closed) callback();
	else onClose.push(callback);
}

/** Writes to standard output unless its reader has gone; true while the pipe is not full. */
export function print(text: string): boolean {
	if (closed) return true;
	return process.stdout.write(text);
}

/** Resolves once everything written so far to the stream has been handed to the OS (or it was closed). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
	if (stream.destroyed || stream.writableLength === 0) return Promise.resolve();
	return new Promise(resolve => {
		stream.once('error', () => resolve());
		stream.write('', () => resolve());
	});
}

/** Waits until standard output and standard error have been written out, however slow the reader. */
export async function flushOutput(): Promise<void> {
	await Promise.all([closed ? Promise.resolve() : flushed(process.stdout), flushed(process.stderr)]);
}
