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

/**
 * Never log a secret, whatever a caller puts into `extra`: values under keys that name one are
 * replaced, and so is every registered secret (the SASL password) wherever it occurs, in the message
 * or in any value, however deep.
 */
const SECRET_KEYS = /pass(word)?|secret|token|sasl|credential|authorization|private.?key|jaas/i;
const REDACTED = '[redacted]';

/** Shorter strings are too common to cut out of every line (and too weak to protect). */
const MIN_SECRET_LENGTH = 4;
const secrets = new Set<string>();

/** From now on, this string never reaches a log line or a message passed through `redactSecrets`. */
export function addSecret(secret: string | undefined): void {
	if (secret && secret.length >= MIN_SECRET_LENGTH) secrets.add(secret);
}

/** The text with every registered secret replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
	let out = text;
	for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
	return out;
}

function scrub(value: unknown, depth = 0): unknown {
	if (typeof value === 'string') return redactSecrets(value);
	if (value instanceof Error) return redactSecrets(value.stack ?? value.message);
	if (value === null || typeof value !== 'object') return value;
	if (depth > 4) return '[…]';
	if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
	if (Array.isArray(value)) return value.map(v => scrub(v, depth + 1));
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) && typeof v !== 'boolean' ? REDACTED : scrub(v, depth + 1);
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
		const tail = extra && Object.keys(extra).length > 0 ? ' ' + safeJson(scrub(extra)) : '';
		try {
			// Also after serialising: a secret could only appear now if split across values, but be sure.
			fs.writeSync(fd, redactSecrets(`${new Date().toISOString()} ${level} ${redactSecrets(message)}${tail}`) + '\n');
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

function safeJson(value: unknown): string {
	try {
		return JSON.stringify(value);
	} catch {
		return '"[not serialisable]"';
	}
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
