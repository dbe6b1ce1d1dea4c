// The broker's configuration files, built from an options object. Pure: no I/O, unit-tested.

/** What server.properties is built from. */
export type BrokerConfigOptions = {
	/** The client listener, on 127.0.0.1 (also the advertised address). */
	port: number;
	/** The KRaft controller listener, on 127.0.0.1. */
	controllerPort: number;
	/** Kafka's `log.dirs`: an absolute path. */
	kafkaDataDir: string;
	/** `group.initial.rebalance.delay.ms`: 0 for development, Kafka's default is 3000. */
	initialRebalanceDelayMs: number;
	host?: string;
	nodeId?: number;
	/**
	 * A node of a cluster: the controller listeners of all its nodes (`host:port`, every node a quorum
	 * voter) and how many brokers it has, which sets the replication of Kafka's internal topics.
	 * Without it, one node with its own quorum and one replica of everything.
	 */
	cluster?: {quorum: string[]; brokers: number};
	/**
	 * SASL/SCRAM on the client port: a SASL listener offering SCRAM-SHA-256 and SCRAM-SHA-512, also used
	 * between brokers with the broker's own credentials. The controller listener never takes SASL.
	 */
	saslScram?: {interBrokerUser: string; interBrokerPassword: string};
	/**
	 * TLS on the client and controller listeners (PEM files): the node's key and certificate chain, the
	 * CA it trusts (for clients, for the other nodes, and they for it), and whether a client must show a
	 * certificate signed by that CA.
	 */
	tls?: TlsFiles;
	/** Added last, overriding anything above (escape hatch for tests and benchmarks). */
	extra?: Readonly<Record<string, string | number | boolean>>;
};

export type TlsFiles = {keystore: string; truststore: string; clientAuth: boolean};

export const DEFAULT_HOST = '127.0.0.1';

/** The client listener's security protocol, which is also its name. */
export type ClientProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';

export function clientProtocol(options: {saslScram?: unknown; tls?: unknown}): ClientProtocol {
	if (options.saslScram) return options.tls ? 'SASL_SSL' : 'SASL_PLAINTEXT';
	return options.tls ? 'SSL' : 'PLAINTEXT';
}

/** Replicas of a topic on a cluster of `brokers` nodes, and the in-sync replicas a write needs (2 of 3: one node may be down). */
export function replication(brokers: number): {factor: number; minInSync: number} {
	const factor = Math.max(1, Math.min(3, brokers));
	return {factor, minInSync: factor >= 3 ? 2 : 1};
}

/** The key/value pairs of server.properties, in file order. */
export function serverSettings(options: BrokerConfigOptions): Array<[string, string]> {
	const host = options.host ?? DEFAULT_HOST;
	const nodeId = options.nodeId ?? 1;
	const protocol = clientProtocol(options);
	const {factor, minInSync} = replication(options.cluster?.brokers ?? 1);
	const settings: Record<string, string | number | boolean> = {
		// KRaft: every node is both broker and controller; on a cluster all of them are quorum voters.
		'process.roles': 'broker,controller',
		'node.id': nodeId,
		'controller.quorum.bootstrap.servers': options.cluster ? options.cluster.quorum.join(',') : `${host}:${options.controllerPort}`,
		'controller.listener.names': 'CONTROLLER',
		// Listeners: clients (and the other brokers) on one, the quorum on CONTROLLER, both on loopback only.
		'listeners': `${protocol}://${host}:${options.port},CONTROLLER://${host}:${options.controllerPort}`,
		'advertised.listeners': `${protocol}://${host}:${options.port}`,
		'inter.broker.listener.name': protocol,
		'listener.security.protocol.map': `${protocol}:${protocol},CONTROLLER:${options.tls ? 'SSL' : 'PLAINTEXT'}`,
		'log.dirs': options.kafkaDataDir,
		// Development settings: one replica of everything on one node; on three, three replicas and
		// writes that need two of them, so any one node can be down.
		'num.partitions': 1,
		'default.replication.factor': factor,
		...(factor > 1 ? {'min.insync.replicas': minInSync} : {}),
		'offsets.topic.replication.factor': factor,
		'transaction.state.log.replication.factor': factor,
		'transaction.state.log.min.isr': minInSync,
		'share.coordinator.state.topic.replication.factor': factor,
		'share.coordinator.state.topic.min.isr': minInSync,
		// kchat creates its rooms itself; a typo must not create a topic.
		'auto.create.topics.enable': false,
		// A fresh consumer group gets its partitions at once instead of after 3 s.
		'group.initial.rebalance.delay.ms': options.initialRebalanceDelayMs,
		...(options.saslScram ? scramSettings(protocol, options.saslScram) : {}),
		...(options.tls ? tlsSettings(options.tls) : {}),
		...options.extra,
	};
	return Object.entries(settings).map(([key, value]) => [key, String(value)]);
}

/** The SCRAM mechanisms a SASL broker offers, in the order of `sasl.enabled.mechanisms`. */
export const SCRAM_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type ScramMechanism = (typeof SCRAM_MECHANISMS)[number];

/** A SASL broker's client listener, as `kchat broker` describes it. */
export type SaslListener = {protocol: 'SASL_PLAINTEXT' | 'SASL_SSL'; mechanisms: string[]; users: string[]};

export const saslListener = (protocol: ClientProtocol, users: readonly string[]): SaslListener => ({
	protocol: protocol === 'SASL_SSL' ? 'SASL_SSL' : 'SASL_PLAINTEXT',
	mechanisms: [...SCRAM_MECHANISMS],
	users: [...users],
});

/** The client listener's name (and security protocol) on a SASL broker without TLS. */
export const SASL_LISTENER = 'SASL_PLAINTEXT';

/** SCRAM on the client listener, and the broker's own login to the others through it. */
function scramSettings(listener: ClientProtocol, credentials: {interBrokerUser: string; interBrokerPassword: string}): Record<string, string> {
	const jaas = `org.apache.kafka.common.security.scram.ScramLoginModule required username=${jaasQuote(credentials.interBrokerUser)} password=${jaasQuote(credentials.interBrokerPassword)};`;
	const settings: Record<string, string> = {
		'sasl.enabled.mechanisms': SCRAM_MECHANISMS.join(','),
		'sasl.mechanism.inter.broker.protocol': 'SCRAM-SHA-256',
	};
	// The broker's own login, per mechanism the listener offers (Kafka looks the JAAS entry up per mechanism).
	for (const mechanism of SCRAM_MECHANISMS) settings[`listener.name.${listener.toLowerCase()}.${mechanism.toLowerCase()}.sasl.jaas.config`] = jaas;
	return settings;
}

/**
 * PEM key and trust stores (no JKS, no store passwords: the key file is readable only by its owner).
 * Clients check the node's name against its certificate (Kafka's default, `https`), and so do the nodes
 * among themselves, so every node certificate names 127.0.0.1 and localhost.
 */
function tlsSettings(tls: TlsFiles): Record<string, string> {
	return {
		'ssl.keystore.type': 'PEM',
		'ssl.keystore.location': tls.keystore,
		'ssl.truststore.type': 'PEM',
		'ssl.truststore.location': tls.truststore,
		'ssl.client.auth': tls.clientAuth ? 'required' : 'none',
		'ssl.endpoint.identification.algorithm': 'https',
	};
}

/** A JAAS option value: double-quoted, with `\` and `"` escaped. */
function jaasQuote(value: string): string {
	return `"${value.replace(/[\\"]/g, ch => '\\' + ch)}"`;
}

export function serverProperties(options: BrokerConfigOptions): string {
	const lines = ['# Written by kchat broker on every start; edits are overwritten.'];
	for (const [key, value] of serverSettings(options)) lines.push(`${escapeKey(key)}=${escapeValue(value)}`);
	return lines.join('\n') + '\n';
}

/** log4j2 (properties format, read by log4j-core itself): everything into `<logsDir>/server.log`, nothing on the console. */
export function log4j2Properties(logsDir: string, level = 'INFO'): string {
	const dir = logsDir.replace(/\$\{/g, () => '$${'); // no lookups in a path
	const file = escapeValue(`${dir}/server.log`);
	const pattern = escapeValue(`${dir.replace(/%/g, '%%')}/server.log.%i`);
	return [
		'# Written by kchat broker on every start; edits are overwritten.',
		'status = warn',
		'name = kchat-broker',
		'appender.server.type = RollingFile',
		'appender.server.name = server',
		`appender.server.fileName = ${file}`,
		`appender.server.filePattern = ${pattern}`,
		'appender.server.layout.type = PatternLayout',
		'appender.server.layout.pattern = [%d] %p %m (%c)%n',
		'appender.server.policies.type = Policies',
		'appender.server.policies.size.type = SizeBasedTriggeringPolicy',
		'appender.server.policies.size.size = 50MB',
		'appender.server.strategy.type = DefaultRolloverStrategy',
		'appender.server.strategy.max = 3',
		`rootLogger.level = ${level}`,
		'rootLogger.appenderRef.server.ref = server',
		// As in Kafka's own config/log4j2.yaml: the request log only when asked for.
		'logger.request.name = kafka.request.logger',
		'logger.request.level = WARN',
		'',
	].join('\n');
}

/**
 * A value for a Java .properties file. Kafka and log4j read them as ISO-8859-1 with `\` escapes,
 * so backslashes, leading blanks, line breaks and anything outside printable ASCII are escaped.
 */
export function escapeValue(value: string): string {
	let out = '';
	for (const [i, ch] of [...value].entries()) {
		const code = ch.codePointAt(0) ?? 0;
		if (ch === '\\') out += '\\\\';
		else if (ch === '\n') out += '\\n';
		else if (ch === '\r') out += '\\r';
		else if (ch === '\t') out += '\\t';
		else if (ch === '\f') out += '\\f';
		else if (ch === ' ' && i === 0) out += '\\ ';
		else if (code < 0x20 || code > 0x7e) {
			for (const unit of utf16Units(ch)) out += '\\u' + unit.toString(16).padStart(4, '0');
		} else out += ch;
	}
	return out;
}

function escapeKey(key: string): string {
	return [...key].map(ch => (/[ =:#!]/.test(ch) ? '\\' + ch : escapeValue(ch))).join('');
}

function utf16Units(ch: string): number[] {
	const units: number[] = [];
	for (let i = 0; i < ch.length; i++) units.push(ch.charCodeAt(i));
	return units;
}
