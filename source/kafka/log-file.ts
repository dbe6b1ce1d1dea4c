import fs from 'node:fs';
import path from 'node:path';
import kafkajs, {type logCreator, type LogEntry} from 'kafkajs';

const {logLevel} = kafkajs;

export type Logger = {
	debug(message: string, extra?: Record<string, unknown>): void;
	info(message: string, extra?: Record<string, unknown>): void;
	warn(message: string, extra?: Record<string, unknown>): void;
	error(message: string, extra?: Record<string, unknown>): void;
	close(): void;
};

/** Never log a secret, whatever a caller puts into `extra` (kafkajs puts its connection options there on errors). */
const SECRET_KEYS = /pass(word)?|secret|token|sasl|credential|authorization/i;

function scrub(value: unknown, depth = 0): unknown {
	if (depth > 4 || value === null || typeof value !== 'object') return value;
	if (Array.isArray(value)) return value.map(v => scrub(v, depth + 1));
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : scrub(v, depth + 1);
	return out;
}

/**
 * kchat's and kafkajs's log, appended to one file: inside Ink, anything written to the console would
 * corrupt the screen. Writes are synchronous appends so the last lines survive a crash.
 */
export function openLogFile(file: string, verbose: boolean): Logger {
	let fd: number | undefined;
	try {
		fs.mkdirSync(path.dirname(file), {recursive: true});
		fd = fs.openSync(file, 'a', 0o600);
	} catch {
		fd = undefined; // an unwritable log must not stop the chat
	}
	const write = (level: string, message: string, extra?: Record<string, unknown>): void => {
		if (fd === undefined) return;
		const tail = extra && Object.keys(extra).length > 0 ? ' ' + JSON.stringify(scrub(extra)) : '';
		try {
			fs.writeSync(fd, `${new Date().toISOString()} ${level} ${message}${tail}\n`);
		} catch {
			// disk full or closed: logging is best effort
		}
	};
	return {
		debug: (m, e) => {
			if (verbose) write('DEBUG', m, e);
		},
		info: (m, e) => write('INFO', m, e),
		warn: (m, e) => write('WARN', m, e),
		error: (m, e) => write('ERROR', m, e),
		close: () => {
			if (fd !== undefined) fs.closeSync(fd);
			fd = undefined;
		},
	};
}

/** A kafkajs logCreator that writes into our log file instead of the console. */
export function kafkaLogCreator(logger: Logger): logCreator {
	return () =>
		({namespace, level, log}: LogEntry) => {
			const {message, timestamp: _t, logger: _l, ...extra} = log;
			const text = `[kafkajs ${namespace}] ${message}`;
			if (level === logLevel.ERROR) logger.error(text, extra);
			else if (level === logLevel.WARN) logger.warn(text, extra);
			else if (level === logLevel.INFO) logger.info(text, extra);
			else logger.debug(text, extra);
		};
}

/** For headless commands and tests that want no log at all. */
export const nullLogger: Logger = {debug() {}, info() {}, warn() {}, error() {}, close() {}};
