import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {isClusterId, newClusterId} from '../../source/broker/cluster-id.js';
import {brokerArgs, formatArgs, isHeapSize} from '../../source/broker/java-command.js';
import {failureExcerpt} from '../../source/broker/log-tail.js';
import {javaMajor} from '../../source/broker/preflight.js';
import {streamProgress} from '../../source/broker/progress.js';
import {countMavenLine, kafkaPom} from '../../source/broker/resolve-artifacts.js';

describe('newClusterId', () => {
	it('makes 22-character base64url ids that do not look like options', () => {
		for (let i = 0; i < 200; i++) {
			const id = newClusterId();
			expect(isClusterId(id)).toBe(true);
			expect(id.startsWith('-')).toBe(false);
		}
	});
});

describe('javaMajor', () => {
	it('reads both version styles', () => {
		expect(javaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
		expect(javaMajor('openjdk version "21" 2023-09-19')).toBe(21);
		expect(javaMajor('java version "1.8.0_202"')).toBe(8);
		expect(javaMajor('nothing')).toBeUndefined();
	});
});

describe('java command lines', () => {
	const run = {classpath: '/c/libs/*', log4jConfig: '/d/log4j2.properties', logsDir: '/d/logs', serverProperties: '/d/server.properties'};

	it('starts kafka.Kafka with a fixed heap and our log4j2 configuration', () => {
		const args = brokerArgs({...run, heap: '512m'});
		expect(args).toEqual(expect.arrayContaining(['-Xmx512m', '-Xms512m', '-Dlog4j2.configurationFile=/d/log4j2.properties']));
		expect(args.slice(-4)).toEqual(['-cp', '/c/libs/*', 'kafka.Kafka', '/d/server.properties']);
	});

	it('formats a standalone quorum', () => {
		const args = formatArgs({...run, clusterId: 'abcdefghijklmnopqrstuv'});
		expect(args.slice(args.indexOf('kafka.tools.StorageTool'))).toEqual([
			'kafka.tools.StorageTool', 'format', '--cluster-id', 'abcdefghijklmnopqrstuv', '--config', '/d/server.properties', '--standalone',
		]);
	});

	it('accepts heap sizes the JVM takes', () => {
		expect(['512m', '1g', '1536M', '262144k'].every(isHeapSize)).toBe(true);
		expect(['512', 'm', '0m', '1.5g', '-1g', '512mb'].some(isHeapSize)).toBe(false);
	});
});

describe('Maven', () => {
	it('asks for the broker, the tools and an SLF4J binding at the pinned version', () => {
		const pom = kafkaPom();
		expect(pom).toContain('<artifactId>kafka_2.13</artifactId><version>4.3.1</version>');
		expect(pom).toContain('<artifactId>kafka-tools</artifactId><version>4.3.1</version>');
		expect(pom).toContain('<artifactId>log4j-slf4j-impl</artifactId>');
	});

	it('counts downloads and copies from batch-mode output', () => {
		const counts = {downloaded: 0, copied: 0};
		const lines = [
			'[INFO] Downloading from central: https://repo.maven.apache.org/maven2/org/apache/kafka/kafka_2.13/4.3.1/kafka_2.13-4.3.1.pom',
			'[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/org/apache/kafka/kafka_2.13/4.3.1/kafka_2.13-4.3.1.pom (5 kB at 20 kB/s)',
			'[INFO] Copying kafka_2.13-4.3.1.jar to /c/libs/kafka_2.13-4.3.1.jar',
			'[INFO] BUILD SUCCESS',
		];
		expect(lines.map(line => countMavenLine(line, counts))).toEqual([false, true, true, false]);
		expect(counts).toEqual({downloaded: 1, copied: 1});
	});
});

describe('failureExcerpt', () => {
	it("shows this run's first errors and its last lines", () => {
		const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-tail-')), 'server.log');
		const before = 'old run ERROR not this one\n';
		const lines = ['start', 'ERROR Unable to start acceptor', 'org.apache.kafka.common.KafkaException: Address already in use', ...Array.from({length: 30}, (_, i) => `shutdown ${i}`)];
		fs.writeFileSync(file, before + lines.join('\n') + '\n');
		const excerpt = failureExcerpt(file, before.length, 5);
		expect(excerpt).toEqual(['ERROR Unable to start acceptor', 'org.apache.kafka.common.KafkaException: Address already in use', '...', 'shutdown 25', 'shutdown 26', 'shutdown 27', 'shutdown 28', 'shutdown 29']);
		fs.rmSync(path.dirname(file), {recursive: true});
	});
});

describe('streamProgress', () => {
	it('redraws transient lines in place on a terminal, at most 10 times a second', async () => {
		let out = '';
		const progress = streamProgress({isTTY: true, columns: 80, write: (text: string) => (out += text)});
		progress('a 1', {transient: true});
		progress('a 2', {transient: true}); // too soon: skipped
		await new Promise(resolve => setTimeout(resolve, 120));
		progress('a 3', {transient: true});
		progress('done');
		expect(out).toBe('\r\x1b[2Ka 1\r\x1b[2Ka 3\r\x1b[2Kdone\n');
	});

	it('prints transient lines only now and then elsewhere', () => {
		let out = '';
		const progress = streamProgress({write: (text: string) => (out += text)}, 60_000);
		progress('a 1', {transient: true});
		progress('a 2', {transient: true});
		progress('done');
		expect(out).toBe('a 1\ndone\n');
	});
});
