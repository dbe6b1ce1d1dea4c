import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {runBytes} from './run-cli-bytes.js';

// Debian's kcat (librdkafka): the second client users would reach for, producing into a room as-is.

export type KcatOptions = {
	/** `-k KEY`: one key for every message (text only: it is an argument). */
	key?: string;
	/** `-p N`; records with the same key (or none) may land anywhere otherwise. */
	partition?: number;
	/** `-H name=value`, repeated. */
	headers?: Record<string, string>;
	/** `-K DELIM`: each input message is KEY DELIM VALUE (bytes, so keys may be binary). */
	keyDelimiter?: string;
	/** `-Z`: an empty value is sent as NULL (a tombstone). */
	nullEmpty?: boolean;
	/** librdkafka properties (`-X name=value`). */
	config?: Record<string, string>;
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-kcat-'));
let seq = 0;

export function cleanupKcatFiles(): void {
	fs.rmSync(dir, {recursive: true, force: true});
}

function args(brokers: string[], topic: string, o: KcatOptions): string[] {
	const a = ['-P', '-b', brokers.join(','), '-t', topic];
	if (o.key !== undefined) a.push('-k', o.key);
	if (o.partition !== undefined) a.push('-p', String(o.partition));
	for (const [name, value] of Object.entries(o.headers ?? {})) a.push('-H', `${name}=${value}`);
	if (o.keyDelimiter !== undefined) a.push('-K', o.keyDelimiter);
	if (o.nullEmpty) a.push('-Z');
	for (const [name, value] of Object.entries(o.config ?? {})) a.push('-X', `${name}=${value}`);
	return a;
}

async function run(a: string[], input?: Buffer): Promise<void> {
	const result = await runBytes('kcat', a, {input: input ?? ''});
	if (result.code !== 0) throw new Error(`kcat ${a.join(' ')} failed (${result.code}): ${result.stderr.toString()}`);
}

/**
 * Produces each value as one message, in order, by handing kcat one file per value ("the entire file
 * contents will be sent as one single message"): values may hold newlines, NULs, any bytes.
 * kcat skips an empty file: use kcatLines with a key delimiter for empty and null values.
 */
export async function kcatFiles(brokers: string[], topic: string, values: Array<Buffer | string>, options: KcatOptions = {}): Promise<void> {
	const files = values.map(value => {
		const file = path.join(dir, `value-${++seq}`);
		fs.writeFileSync(file, value);
		return file;
	});
	await run([...args(brokers, topic, options), ...files]);
}

/** Produces stdin as messages split at newlines (kcat's default): one message per line. */
export async function kcatLines(brokers: string[], topic: string, input: Buffer | string, options: KcatOptions = {}): Promise<void> {
	await run(args(brokers, topic, options), Buffer.from(input));
}
