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

describe('serverProperties of a cluster node', () => {
	const node = {...options, nodeId: 2, cluster: {quorum: ['127.0.0.1:41001', '127.0.0.1:41002', '127.0.0.1:41003'], brokers: 3}};

	it('finds the quorum through all three controllers, never through static voters', () => {
		const props = parse(serverProperties(node));
		expect(props.get('node.id')).toBe('2');
		expect(props.get('process.roles')).toBe('broker,controller');
		expect(props.get('controller.quorum.bootstrap.servers')).toBe('127.0.0.1:41001,127.0.0.1:41002,127.0.0.1:41003');
		expect(props.has('controller.quorum.voters')).toBe(false);
	});

	it('keeps three replicas of everything and needs two in sync for a write', () => {
		const props = parse(serverProperties(node));
		for (const key of ['default.replication.factor', 'offsets.topic.replication.factor', 'transaction.state.log.replication.factor', 'share.coordinator.state.topic.replication.factor']) expect(props.get(key)).toBe('3');
		for (const key of ['min.insync.replicas', 'transaction.state.log.min.isr', 'share.coordinator.state.topic.min.isr']) expect(props.get(key)).toBe('2');
	});

	it('one node stays as it was: one replica, no min.insync.replicas', () => {
		const props = parse(serverProperties(options));
		expect(props.get('default.replication.factor')).toBe('1');
		expect(props.has('min.insync.replicas')).toBe(false);
	});
});

describe('serverProperties with TLS', () => {
	const tls = {keystore: '/d/tls/node-1.pem', truststore: '/d/tls/ca.pem', clientAuth: true};

	it('puts SSL on the client and controller listeners, with PEM stores and required client certificates', () => {
		const props = parse(serverProperties({...options, tls}));
		expect(props.get('listeners')).toBe('SSL://127.0.0.1:19092,CONTROLLER://127.0.0.1:41000');
		expect(props.get('inter.broker.listener.name')).toBe('SSL');
		expect(props.get('listener.security.protocol.map')).toBe('SSL:SSL,CONTROLLER:SSL');
		expect(props.get('ssl.keystore.type')).toBe('PEM');
		expect(props.get('ssl.keystore.location')).toBe('/d/tls/node-1.pem');
		expect(props.get('ssl.truststore.type')).toBe('PEM');
		expect(props.get('ssl.truststore.location')).toBe('/d/tls/ca.pem');
		expect(props.get('ssl.client.auth')).toBe('required');
		expect([...props.keys()].some(k => k.includes('password'))).toBe(false); // no store passwords
	});

	it('with SASL too: SASL_SSL, and the broker logs in on that listener', () => {
		const settings = new Map(serverSettings({...options, tls: {...tls, clientAuth: false}, saslScram: {interBrokerUser: 'kchat-broker', interBrokerPassword: 'x'}}));
		expect(settings.get('listeners')).toBe('SASL_SSL://127.0.0.1:19092,CONTROLLER://127.0.0.1:41000');
		expect(settings.get('ssl.client.auth')).toBe('none');
		expect(settings.has('listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config')).toBe(true);
	});
});
