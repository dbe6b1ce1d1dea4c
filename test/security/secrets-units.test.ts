// Pure parts of the security settings: the broker's SASL configuration, SCRAM salting, the java argfile,
// log scrubbing and how kafkajs errors are explained. No broker needed.
import {createHmac, createHash} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {serverSettings} from '../../source/broker/broker-config.js';
import {argFileText, formatArgs} from '../../source/broker/java-command.js';
import {addScramArguments, saltPassword, validateScramUserName} from '../../source/broker/scram-users.js';
import {readConfigFile} from '../../source/config/config-file.js';
import {describeKafkaError, isAuthenticationError} from '../../source/kafka/kafka-client.js';
import {addSecret, openLogFile, redactSecrets} from '../../source/kafka/log-file.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-sec-units-'));
afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}));

const base = {port: 19092, controllerPort: 41000, kafkaDataDir: '/tmp/kb/data', initialRebalanceDelayMs: 0};

describe('a SASL/SCRAM broker configuration', () => {
	const settings = new Map(serverSettings({...base, saslScram: {interBrokerUser: 'kchat-broker', interBrokerPassword: 'p"w\\x'}}));

	it('puts SASL_PLAINTEXT with both SCRAM mechanisms on the client port and keeps the controller on PLAINTEXT', () => {
		expect(settings.get('listeners')).toBe('SASL_PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:41000');
		expect(settings.get('advertised.listeners')).toBe('SASL_PLAINTEXT://127.0.0.1:19092');
		expect(settings.get('listener.security.protocol.map')).toBe('SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT');
		expect(settings.get('sasl.enabled.mechanisms')).toBe('SCRAM-SHA-256,SCRAM-SHA-512');
	});

	it('talks between brokers on the same listener with its own SCRAM login, quoted for JAAS', () => {
		expect(settings.get('inter.broker.listener.name')).toBe('SASL_PLAINTEXT');
		expect(settings.get('sasl.mechanism.inter.broker.protocol')).toBe('SCRAM-SHA-256');
		const jaas = 'org.apache.kafka.common.security.scram.ScramLoginModule required username="kchat-broker" password="p\\"w\\\\x";';
		expect(settings.get('listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config')).toBe(jaas);
		expect(settings.get('listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config')).toBe(jaas);
	});

	it('leaves the plain broker as it was', () => {
		const plain = new Map(serverSettings(base));
		expect(plain.get('listeners')).toBe('PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:41000');
		expect([...plain.keys()].some(key => key.includes('sasl'))).toBe(false);
	});
});

describe('SCRAM users at format time', () => {
	it('salts like RFC 7677 (SCRAM-SHA-256 example exchange: user/pencil)', () => {
		const {saltedPassword} = saltPassword('SCRAM-SHA-256', 'pencil', Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'), 4096);
		const salted = Buffer.from(saltedPassword, 'base64');
		const clientKey = createHmac('sha256', salted).update('Client Key').digest();
		const storedKey = createHash('sha256').update(clientKey).digest();
		const authMessage =
			'n=user,r=rOprNGfwEbeRWgbNEkqO,' +
			'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,' +
			'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
		const signature = createHmac('sha256', storedKey).update(authMessage).digest();
		const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]!)).toString('base64');
		expect(proof).toBe('dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=');
	});

	it('gives Kafka salted passwords only, for both mechanisms, whatever the password holds', () => {
		const password = 'CANARY-a,b=[c]"d';
		const args = addScramArguments([{name: 'alice', password}]);
		expect(args).toHaveLength(2);
		expect(args[0]).toMatch(/^SCRAM-SHA-256=\[name=alice,salt=[A-Za-z0-9+/=]+,iterations=4096,saltedpassword=[A-Za-z0-9+/=]+\]$/);
		expect(args[1]).toMatch(/^SCRAM-SHA-512=\[name=alice,/);
		expect(args.join(' ')).not.toContain('CANARY');
	});

	it('takes only names that need no escaping, and keeps the broker its own', () => {
		expect(validateScramUserName('alice.b-1_x')).toBeUndefined();
		expect(validateScramUserName('a,b')).toMatch(/not valid/);
		expect(validateScramUserName('')).toMatch(/not valid/);
		expect(validateScramUserName('kchat-broker')).toMatch(/reserved/);
	});

	it('passes the format command line through a quoted java @argfile', () => {
		const args = formatArgs({classpath: '/c/libs/*', clusterId: 'x', log4jConfig: '/d/l', logsDir: '/d/logs', serverProperties: '/d a/s.properties', addScram: ['SCRAM-SHA-256=[name=a,salt=b,saltedpassword=c]']});
		expect(args.slice(-2)).toEqual(['--add-scram', 'SCRAM-SHA-256=[name=a,salt=b,saltedpassword=c]']);
		expect(argFileText(['a b', 'x\\y"z'])).toBe('"a b"\n"x\\\\y\\"z"\n');
	});
});

describe('the log file', () => {
	it('never writes a registered secret, under any key, in messages, nested values or errors', () => {
		const secret = `CANARY-${Math.random().toString(36).slice(2)}`;
		addSecret(secret);
		const file = path.join(tmp, 'scrub.log');
		const log = openLogFile(file, true);
		log.error(`failed with ${secret}`, {nested: {deeper: [{text: `x${secret}y`}]}, password: 'other', sasl: {mechanism: 'plain', password: secret}, ok: true});
		log.debug('an error', {error: new Error(`boom ${secret}`), buffer: Buffer.from(secret)});
		log.close();
		const text = fs.readFileSync(file, 'utf8');
		expect(text).not.toContain(secret);
		expect(text).toContain('[redacted]');
		expect(text).toContain('"ok":true');
		expect(redactSecrets(`a ${secret} b`)).toBe('a [redacted] b');
		expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
	});
});

describe('explaining kafkajs errors', () => {
	const sasl = {mechanism: 'scram-sha-256' as const, username: 'alice', password: 'hunter2-secret'};
	const kafkaError = (name: string, message: string, extra: Record<string, unknown> = {}): Error => Object.assign(new Error(message), {name, ...extra});

	it('says whose login failed and where to fix it, without the password', () => {
		const error = kafkaError('KafkaJSSASLAuthenticationError', 'SASL SCRAM SHA256 authentication failed: Authentication failed during authentication due to invalid credentials');
		expect(isAuthenticationError(error)).toBe(true);
		const text = describeKafkaError(error, {sasl});
		expect(text).toBe('authentication failed for user alice (SCRAM-SHA-256): check KCHAT_SASL_USERNAME/PASSWORD or the config file');
		expect(text).not.toContain(sasl.password);
	});

	it('finds the cause when kafkajs gave up retrying', () => {
		const cause = kafkaError('KafkaJSSASLAuthenticationError', 'SASL PLAIN authentication failed');
		const wrapped = kafkaError('KafkaJSNumberOfRetriesExceeded', 'SASL PLAIN authentication failed', {cause});
		expect(describeKafkaError(wrapped, {sasl: {...sasl, mechanism: 'plain'}})).toMatch(/^authentication failed for user alice \(PLAIN\)/);
	});

	it('names a mechanism the broker does not offer, a port without SASL, and a broker that wants SASL', () => {
		expect(describeKafkaError(kafkaError('KafkaJSProtocolError', 'The broker does not support the requested SASL mechanism', {type: 'UNSUPPORTED_SASL_MECHANISM'}), {sasl})).toMatch(/does not offer SASL SCRAM-SHA-256/);
		expect(describeKafkaError(kafkaError('KafkaJSProtocolError', 'Request is not valid given the current SASL state', {type: 'ILLEGAL_SASL_STATE'}), {sasl})).toMatch(/does not take a SASL login/);
		expect(describeKafkaError(kafkaError('KafkaJSConnectionClosedError', 'Closed connection'))).toMatch(/closed the connection.*SASL or TLS/);
	});

	it('points at the CA setting when a certificate is not trusted', () => {
		expect(describeKafkaError(kafkaError('KafkaJSConnectionError', 'Connection error: self-signed certificate'), {ssl: {}})).toMatch(/not trusted.*KCHAT_SSL_CA/);
	});

	it('cuts a registered secret out of any other message', () => {
		addSecret(sasl.password);
		expect(describeKafkaError(new Error(`odd ${sasl.password}`))).toBe('odd [redacted]');
	});
});

describe('the config file', () => {
	const write = (name: string, text: string): string => {
		const file = path.join(tmp, name);
		fs.writeFileSync(file, text);
		return file;
	};

	it('is no config at all when missing, or when a file stands where a folder of its path should be', () => {
		expect(readConfigFile(path.join(tmp, 'absent.json'))).toEqual({});
		const notAFolder = write('not-a-folder', '');
		expect(readConfigFile(path.join(notAFolder, '.config', 'config.json'))).toEqual({});
	});

	it('does not quote the text around a JSON error (it may be the password)', () => {
		const file = write('broken.json', '{"sasl": {"password": CANARY-in-json}}');
		expect(() => readConfigFile(file)).toThrow(/broken\.json is not valid JSON/);
		expect(() => readConfigFile(write('place.json', '{\n  "user": "a"\n  "brokers": "b"}'))).toThrow(/is not valid JSON \(line 3, column 3\)$/);
		try {
			readConfigFile(file);
		} catch (error) {
			expect((error as Error).message).not.toContain('CANARY');
		}
	});

	it('refuses unknown or mistyped security settings by name, never echoing a value', () => {
		expect(() => readConfigFile(write('typo.json', '{"ssl": {"caFile": "/x"}}'))).toThrow(/unknown setting "ssl.caFile"/);
		expect(() => readConfigFile(write('reject.json', '{"ssl": {"rejectUnauthorized": false}}'))).toThrow(/insecureSkipVerify/);
		expect(() => readConfigFile(write('pw.json', '{"sasl": {"password": 12345678}}'))).toThrow(/"sasl.password" must be a string$/);
	});

	it('reads ssl: true, a CA path relative to the config directory, and the SASL section', () => {
		expect(readConfigFile(write('tls.json', '{"ssl": true}')).ssl).toBe(true);
		const config = readConfigFile(write('full.json', '{"ssl": {"ca": "certs/ca.pem"}, "sasl": {"mechanism": "SCRAM-SHA-512", "username": "a", "password": "b"}}'));
		expect(config.ssl).toEqual({ca: path.join(tmp, 'certs/ca.pem')});
		expect(config.sasl).toEqual({mechanism: 'SCRAM-SHA-512', username: 'a', password: 'b'});
	});
});
