import {useEffect, useState} from 'react';
import {useStdout} from 'ink';

export type TerminalSize = {columns: number; rows: number};

export const DEFAULT_COLUMNS = 80;
export const DEFAULT_ROWS = 24;

function sizeOf(stdout: NodeJS.WriteStream): TerminalSize {
	// Not a TTY (pipes, tests): columns or rows may be missing or 0.
	return {columns: stdout.columns || DEFAULT_COLUMNS, rows: stdout.rows || DEFAULT_ROWS};
}

/** The terminal's size, updated on every 'resize'. */
export function useTerminalSize(): TerminalSize {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => sizeOf(stdout));
	useEffect(() => {
		const update = (): void =>
			setSize(previous => {
				const next = sizeOf(stdout);
				return next.columns === previous.columns && next.rows === previous.rows ? previous : next;
			});
		stdout.on('resize', update);
		update();
		return () => {
			stdout.off('resize', update);
		};
	}, [stdout]);
	return size;
}
