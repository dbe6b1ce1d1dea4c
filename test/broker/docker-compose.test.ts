// docker-compose.yml cannot run here (no Docker engine), so it is kept in step with `kchat broker` by
// reading it: the same Kafka version, and every setting kchat's server.properties has, except the few
// that Docker forces to differ (listeners and how the nodes find the quorum), for the single broker and
// for the three nodes of the "cluster" profile.
import fs from 'node:fs';
import {describe, expect, it} from 'vitest';
import {parse} from 'yaml';
import {serverSettings} from '../../source/broker/broker-config.js';
import {isClusterId} from '../../source/broker/cluster-id.js';
import {KAFKA_VERSION} from '../../source/broker/kafka-version.js';
import {DEFAULT_HEAP} from '../../source/broker/start-broker.js';
import {CLUSTER_NODES, DEFAULT_CLUSTER_PORT, DEFAULT_NODE_HEAP} from '../../source/broker/start-cluster.js';

type Service = {image: string; profiles?: string[]; ports: string[]; environment: Record<string, string | number>};
const compose = parse(fs.readFileSync('docker-compose.yml', 'utf8'), {merge: true, uniqueKeys: true}) as {services: Record<string, Service>};

/** The image's convention: KAFKA_FOO_BAR is foo.bar (`__` is `_`, `___` is `-`). */
function kafkaSettings(environment: Service['environment']): Map<string, string> {
	const settings = new Map<string, string>();
	for (const [name, value] of Object.entries(environment)) {
		if (!name.startsWith('KAFKA_') || ['KAFKA_HEAP_OPTS', 'KAFKA_OPTS'].includes(name)) continue;
		const key = name.slice('KAFKA_'.length).toLowerCase().replace(/___/g, '\0').replace(/__/g, '\x01').replace(/_/g, '.').replace(/\0/g, '-').replace(/\x01/g, '_');
		settings.set(key, String(value));
	}
	return settings;
}

/** What Docker makes different: the listeners (container names inside, localhost outside) and a static quorum. */
const DOCKER_ONLY = new Set(['listeners', 'advertised.listeners', 'inter.broker.listener.name', 'listener.security.protocol.map', 'controller.quorum.bootstrap.servers', 'log.dirs']);

function expectSameSettings(service: Service, kchat: Array<[string, string]>): void {
	const docker = kafkaSettings(service.environment);
	for (const [key, value] of kchat) {
		if (DOCKER_ONLY.has(key)) continue;
		expect(docker.get(key), `${key} in docker-compose.yml`).toBe(value);
	}
	for (const key of docker.keys()) {
		if (!DOCKER_ONLY.has(key) && key !== 'controller.quorum.voters') expect(kchat.map(([k]) => k), `${key} is in docker-compose.yml but kchat broker does not set it`).toContain(key);
	}
}

const base = {port: 9092, controllerPort: 9093, kafkaDataDir: '/var/lib/kafka/data', initialRebalanceDelayMs: 0};

describe('docker-compose.yml', () => {
	it('runs the Kafka version kchat broker runs', () => {
		for (const service of Object.values(compose.services)) expect(service.image).toBe(`apache/kafka:${KAFKA_VERSION}`);
	});

	it('the single broker has the settings of kchat broker start', () => {
		const kafka = compose.services['kafka']!;
		expect(kafka.profiles).toBeUndefined(); // `docker compose up -d` starts it
		expectSameSettings(kafka, serverSettings(base));
		expect(kafka.environment['KAFKA_HEAP_OPTS']).toBe(`-Xmx${DEFAULT_HEAP} -Xms${DEFAULT_HEAP}`);
	});

	it('the cluster profile has three nodes with the settings of kchat broker start --nodes 3', () => {
		const nodes = Object.entries(compose.services).filter(([, s]) => s.profiles?.includes('cluster'));
		expect(nodes.map(([name]) => name)).toEqual(['kafka-1', 'kafka-2', 'kafka-3']);
		expect(nodes).toHaveLength(CLUSTER_NODES);
		const quorum = nodes.map(([name]) => `${name}:9093`);
		for (const [i, [name, node]] of nodes.entries()) {
			const id = i + 1;
			const port = DEFAULT_CLUSTER_PORT + i;
			expectSameSettings(node, serverSettings({...base, port, nodeId: id, cluster: {quorum, brokers: CLUSTER_NODES}}));
			expect(node.environment['KAFKA_HEAP_OPTS']).toBe(`-Xmx${DEFAULT_NODE_HEAP} -Xms${DEFAULT_NODE_HEAP}`);
			// Reached from the host on the port kchat broker gives node `id`, by the name in its certificate inside.
			expect(node.ports).toEqual([`127.0.0.1:${port}:${port}`]);
			expect(node.environment['KAFKA_ADVERTISED_LISTENERS']).toBe(`INTERNAL://${name}:29092,EXTERNAL://localhost:${port}`);
			// Every node a voter of one quorum, and one cluster id.
			expect(node.environment['KAFKA_CONTROLLER_QUORUM_VOTERS']).toBe(nodes.map(([n], j) => `${j + 1}@${n}:9093`).join(','));
			expect(isClusterId(String(node.environment['CLUSTER_ID']))).toBe(true);
			expect(node.environment['CLUSTER_ID']).toBe(nodes[0]![1].environment['CLUSTER_ID']);
		}
	});
});
