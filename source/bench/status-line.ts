/** A progress line on stderr: rewritten in place on a terminal, one line per update otherwise. */
export class StatusLine {
	private shown = false;

	constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

	update(text: string): void {
		if (this.stream.isTTY) {
			const width = this.stream.columns || 80;
			this.stream.write(`\r\u001B[K${text.length >= width ? text.slice(0, width - 1) : text}`);
			this.shown = true;
		} else {
			this.stream.write(text + '\n');
		}
	}

	/** Ends the line in place, so what follows starts on a fresh line. */
	done(): void {
		if (this.shown) this.stream.write('\n');
		this.shown = false;
	}
}
