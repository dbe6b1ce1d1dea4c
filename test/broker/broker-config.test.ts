import {describe, expect, it} from 'vitest';
import {escapeValue, log4j2Properties, serverProperties, serverSettings} from '../../source/broker/broker-config.js';

const options = {port: 19092, controllerPort: 41000, kafkaDataDir: '/tmp/kb/data', initialRebalanceDelayMs: 0};

const parse = (text: string): Map<string, string> =>
	new Map(
		text
			.split('\n')
			.filter(line => line && !line.startsWith('#'))
			.map(line => {
				const i = line.indexOf('=');
				return [line.slice(0, i), line.slice(i + 1)] as [string, string];
			}),
	);

describe('serverProperties', () => {
	it('runs one KRaft node as broker and controller, on loopback, with a bootstrap quorum and no static voters', () => {
		const props = parse(serverProperties(options));
		expect(props.get('process.roles')).toBe('broker,controller');
		expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:41000');
		expect(props.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:19092');
		expect(props.get('controller.quorum.bootstrap.servers')).toBe('127.0.0.1:41000');
		expect(props.has('controller.quorum.voters')).toBe(false); // never with `format --standalone`
		expect(props.get('log.dirs')).toBe('/tmp/kb/data');
	});

	it('has the development settings', () => {
		const props = parse(serverProperties(options));
		expect(props.get('group.initial.rebalance.delay.ms')).toBe('0');
		expect(props.get('auto.create.topics.enable')).toBe('false');
		for (const key of ['offsets.topic.replication.factor', 'transaction.state.log.replication.factor', 'share.coordinator.state.topic.replication.factor']) {
			expect(props.get(key)).toBe('1');
		}
	});

	it("takes Kafka's default initial rebalance delay when asked (the benchmark)", () => {
		expect(parse(serverProperties({...options, initialRebalanceDelayMs: 3000})).get('group.initial.rebalance.delay.ms')).toBe('3000');
	});

	it('lets extra settings override', () => {
		const settings = new Map(serverSettings({...options, extra: {'num.partitions': 3, 'message.max.bytes': 2_000_000}}));
		expect(settings.get('num.partitions')).toBe('3');
		expect(settings.get('message.max.bytes')).toBe('2000000');
	});

	it('escapes paths for a Latin-1 properties file', () => {
		const props = parse(serverProperties({...options, kafkaDataDir: 'C:\\kafka\\données'}));
		expect(props.get('log.dirs')).toBe('C:\\\\kafka\\\\donn\\u00e9es');
	});
});

describe('escapeValue', () => {
	it('leaves plain paths alone and escapes what a properties reader would change', () => {
		expect(escapeValue('/home/ann/.local/state/kchat/kafka')).toBe('/home/ann/.local/state/kchat/kafka');
		expect(escapeValue(' lead')).toBe('\\ lead');
		expect(escapeValue('a\nb')).toBe('a\\nb');
		expect(escapeValue('😀')).toBe('\\ud83d\\ude00');
	});
});

describe('log4j2Properties', () => {
	it('logs to <logs>/server.log only, with no console appender', () => {
		const text = log4j2Properties('/tmp/kb/logs');
		expect(text).toContain('appender.server.fileName = /tmp/kb/logs/server.log');
		expect(text).toContain('rootLogger.appenderRef.server.ref = server');
		expect(text).not.toMatch(/Console/i);
	});

	it('keeps log4j lookups and patterns out of the path', () => {
		const text = log4j2Properties('/tmp/${env:HOME}/100%');
		expect(text).toContain('fileName = /tmp/$${env:HOME}/100%/server.log');
		expect(text).toContain('filePattern = /tmp/$${env:HOME}/100%%/server.log.%i');
	});
});
