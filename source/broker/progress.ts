/**
 * How the broker launcher reports what it is doing. A transient line is a status that the next line
 * replaces (the Maven download counter); on a terminal it is redrawn in place.
 */
export type Progress = (line: string, options?: {transient?: boolean}) => void;

export const silentProgress: Progress = () => {};

type ProgressStream = {isTTY?: boolean; columns?: number; write(text: string): unknown};

/**
 * Progress on stderr: transient lines redrawn with `\r` on a terminal; elsewhere (CI logs, pipes)
 * a transient line at most every `throttleMs`, every permanent line as it comes.
 */
export function streamProgress(stream: ProgressStream = process.stderr, throttleMs = 2000): Progress {
	let pending = false; // a transient line is on screen, not yet ended by a newline
	let lastTransient = 0;
	return (line, options) => {
		if (stream.isTTY) {
			const columns = stream.columns && stream.columns > 0 ? stream.columns : 80;
			const width = Math.max(20, columns - 1);
			const text = line.length > width ? line.slice(0, width - 1) + '…' : line;
			if (options?.transient) {
				const now = Date.now();
				if (pending && now - lastTransient < 100) return; // at most 10 redraws a second
				lastTransient = now;
				stream.write(`\r\x1b[2K${text}`);
				pending = true;
				return;
			}
			stream.write(`${pending ? '\r\x1b[2K' : ''}${line}\n`);
			pending = false;
			return;
		}
		if (options?.transient) {
			const now = Date.now();
			if (now - lastTransient < throttleMs) return;
			lastTransient = now;
		}
		stream.write(`${line}\n`);
	};
}
