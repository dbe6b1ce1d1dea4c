import {execFile} from 'node:child_process';
import {promisify} from 'node:util';

// Counting in Kafka itself, with kcat: it shows the duplicates that kchat's screen hides by id.

export type KafkaRecord = {partition: number; offset: number; key: string | null; text: string | null; headers: Record<string, string>};

/** Every record of the room, from the beginning to the end (kcat -J). */
export async function kafkaRecords(brokers: string[], room: string): Promise<KafkaRecord[]> {
	const {stdout} = await promisify(execFile)('kcat', ['-C', '-b', brokers.join(','), '-t', room, '-o', 'beginning', '-e', '-q', '-J'], {maxBuffer: 256 * 1024 * 1024});
	return stdout
		.split('\n')
		.filter(Boolean)
		.map(line => {
			const r = JSON.parse(line) as {partition: number; offset: number; key: string | null; payload: string | null; headers?: string[]};
			const headers: Record<string, string> = {};
			for (let i = 0; i + 1 < (r.headers?.length ?? 0); i += 2) headers[r.headers![i]!] ??= r.headers![i + 1]!;
			return {partition: r.partition, offset: r.offset, key: r.key, text: r.payload, headers};
		});
}

/** The chat messages of the room in Kafka (not join or leave lines). */
export async function kafkaMessages(brokers: string[], room: string): Promise<KafkaRecord[]> {
	return (await kafkaRecords(brokers, room)).filter(r => r.headers['kchat-type'] === 'message');
}

/** How often each value occurs: how many records, how many distinct, how many twice or more, how many of `expected` not at all. */
export function tally(values: string[], expected: string[]): {found: number; distinct: number; duplicated: number; lost: number} {
	const counts = new Map<string, number>();
	for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
	return {
		found: values.length,
		distinct: counts.size,
		duplicated: [...counts.values()].filter(n => n > 1).length,
		lost: expected.filter(v => !counts.has(v)).length,
	};
}
