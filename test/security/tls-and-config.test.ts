// TLS verification against a TLS server with a self-signed certificate (made with openssl), and the
// checks of the security settings that fail before anything connects. The built kchat, as a user runs it.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli, type CliResult} from '../support/run-cli.js';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-tls-home-'));
const canary = `CANARY-${Math.random().toString(36).slice(2)}${Date.now()}`;
/** kchat in a clean environment (nothing of the developer's KCHAT_SSL*, KCHAT_SASL*) with this test's home. */
function kchat(args: string[], env: Record<string, string> = {}, until?: Promise<unknown>): Promise<CliResult> {
	return runCli(args, {env: {KCHAT_HOME: home, ...env}, timeoutMs: 30_000, ...(until ? {until} : {})});
}

function writeConfig(config: unknown): void {
	fs.mkdirSync(path.join(home, '.config'), {recursive: true});
	fs.writeFileSync(path.join(home, '.config', 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
}

afterAll(() => fs.rmSync(home, {recursive: true, force: true}));

/** A clear one-line error: no stack trace, no password. */
function expectCleanFailure(run: CliResult, code: number, pattern: RegExp): void {
	expect(run.code, run.stderr).toBe(code);
	expect(run.stderr).toMatch(pattern);
	expect(run.stderr).not.toMatch(/^\s+at /m);
	expect(run.stderr + run.stdout).not.toContain(canary);
}

describe('security settings that cannot work are refused before connecting', () => {
	const send = ['send', '--room', 'r', '--user', 'bob', '--brokers', '127.0.0.1:1', 'x'];

	it('an unknown SASL mechanism, naming the allowed ones and where it came from', async () => {
		writeConfig({});
		const fromEnv = await kchat(['rooms', '--brokers', '127.0.0.1:1'], {KCHAT_SASL_MECHANISM: 'gssapi', KCHAT_SASL_USERNAME: 'bob', KCHAT_SASL_PASSWORD: canary});
		expectCleanFailure(fromEnv, 1, /^kchat: unknown SASL mechanism "gssapi" \(KCHAT_SASL_MECHANISM\): use one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512\n$/);
		writeConfig({sasl: {mechanism: 'SCRAM-SHA-1', username: 'bob', password: canary}});
		const fromFile = await kchat(send);
		expectCleanFailure(fromFile, 1, /unknown SASL mechanism "SCRAM-SHA-1" \(sasl\.mechanism in .*config\.json\): use one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512/);
	});

	it('half a login (no silent connection without SASL)', async () => {
		writeConfig({sasl: {username: 'bob', password: canary}});
		expectCleanFailure(await kchat(send), 1, /SASL is set up only in part: missing the mechanism/);
		writeConfig({});
		expectCleanFailure(await kchat(send, {KCHAT_SASL_MECHANISM: 'scram-sha-256', KCHAT_SASL_USERNAME: 'bob'}), 1, /missing the password \(KCHAT_SASL_PASSWORD or sasl\.password\)/);
	});

	it('a CA file that cannot be read or holds no certificate, naming the file', async () => {
		writeConfig({});
		const missing = path.join(home, 'no-such-ca.pem');
		expectCleanFailure(await kchat(send, {KCHAT_SSL_CA: missing}), 1, new RegExp(`^kchat: cannot read the CA file ${missing} \\(from KCHAT_SSL_CA\\): no such file\\n$`));
		const notPem = path.join(home, 'not-a-ca.pem');
		fs.writeFileSync(notPem, 'hello\n');
		writeConfig({ssl: {ca: notPem}});
		expectCleanFailure(await kchat(send), 1, /the CA file .*not-a-ca\.pem \(from ssl\.ca in .*config\.json\) holds no PEM certificate/);
		writeConfig({ssl: {ca: home}});
		expectCleanFailure(await kchat(send), 1, /cannot read the CA file .*: it is a directory/);
	});

	it('a broken config file, without quoting it (the password may be next to the error)', async () => {
		writeConfig(`{"sasl": {"mechanism": "plain", "username": "bob", "password": ${canary}}}`);
		expectCleanFailure(await kchat(send), 1, /config\.json is not valid JSON/);
		writeConfig({ssl: {rejectUnauthorized: false}});
		expectCleanFailure(await kchat(send), 1, /"ssl\.rejectUnauthorized" is not a kchat setting.*"ssl\.insecureSkipVerify": true/);
		writeConfig({});
		expectCleanFailure(await kchat(send, {KCHAT_SSL: 'maybe'}), 1, /KCHAT_SSL must be 1 or 0, not "maybe"/);
	});
});

const hasOpenssl = !spawnSync('openssl', ['version']).error;

/**
 * A TLS server that is not Kafka: the handshake is all the tests want to see. `attempts` counts the
 * connections that began a handshake (sent a ClientHello): kchat's TCP check, which connects and
 * closes, is not one.
 */
type TlsServer = {port: number; close: () => Promise<void>; nextHandshake: () => Promise<void>; attempts: () => number};

async function startTlsServer(options: tls.TlsOptions, onSecure: (socket: tls.TLSSocket) => void, onRefused: () => void): Promise<TlsServer> {
	const waiting: Array<() => void> = [];
	let attempts = 0;
	const handshake = (): void => {
		for (const resolve of waiting.splice(0)) resolve();
	};
	const server = tls.createServer(options, socket => {
		onSecure(socket);
		socket.destroy();
		handshake();
	});
	// TLS 1.3 key material is logged once the server has a ClientHello: one socket, one handshake begun.
	const begun = new WeakSet<tls.TLSSocket>();
	server.on('keylog', (_line: Buffer, socket: tls.TLSSocket) => {
		if (begun.has(socket)) return;
		begun.add(socket);
		attempts++;
	});
	server.on('tlsClientError', (error: Error) => {
		if (/ECONNRESET|socket hang up|socket disconnected before secure TLS connection/i.test(error.message)) return; // the client left
		onRefused();
		handshake();
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as {port: number}).port,
		close: () => new Promise<void>(resolve => server.close(() => resolve())),
		nextHandshake: () => new Promise<void>(resolve => waiting.push(resolve)),
		attempts: () => attempts,
	};
}

/**
 * `kchat send` to it. A refused handshake ends kchat by itself (a certificate problem is not retried);
 * one that succeeds reaches a server that is not Kafka, so with `untilHandshake` kchat is stopped once
 * the server has seen the handshake: an event, not a short --timeout.
 */
const sendTo = (server: TlsServer | undefined, env: Record<string, string>, untilHandshake = false): Promise<CliResult> =>
	kchat(['send', '--room', 'r', '--user', 'bob', '--brokers', `127.0.0.1:${server?.port ?? 1}`, 'x'], env, untilHandshake ? server?.nextHandshake() : undefined);

describe.skipIf(!hasOpenssl)('TLS certificates', () => {
	let server: TlsServer | undefined;
	let caFile = '';
	const seen = {secure: 0, rejected: 0};

	beforeAll(async () => {
		const dir = fs.mkdtempSync(path.join(home, 'tls-'));
		caFile = path.join(dir, 'cert.pem');
		const keyFile = path.join(dir, 'key.pem');
		const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', caFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], {encoding: 'utf8'});
		if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
		server = await startTlsServer({key: fs.readFileSync(keyFile), cert: fs.readFileSync(caFile)}, () => seen.secure++, () => seen.rejected++);
	});

	afterAll(() => server?.close());

	const send = (env: Record<string, string>, untilHandshake = false): Promise<CliResult> => sendTo(server, env, untilHandshake);

	it('verifies them by default: a self-signed certificate is refused once, not retried', async () => {
		writeConfig({});
		const before = {...seen, attempts: server!.attempts()};
		const run = await send({KCHAT_SSL: '1'});
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(/self[- ]signed certificate: the broker's TLS certificate is not trusted/);
		expect(run.stderr).not.toMatch(/verification is OFF/);
		expect(server!.attempts()).toBe(before.attempts + 1);
		expect(seen.secure).toBe(before.secure);
	});

	it('trusts a private CA from KCHAT_SSL_CA or the config file', async () => {
		writeConfig({});
		let before = {...seen};
		await send({KCHAT_SSL_CA: caFile}, true);
		expect(seen.secure).toBeGreaterThan(before.secure);
		expect(seen.rejected).toBe(before.rejected);
		writeConfig({ssl: {ca: caFile}});
		before = {...seen};
		const run = await send({}, true);
		expect(seen.secure).toBeGreaterThan(before.secure);
		expect(seen.rejected).toBe(before.rejected);
		expect(run.stderr).not.toMatch(/verification is OFF/);
	});

	it('turns verification off only when asked loudly, and says so on stderr at start', async () => {
		writeConfig({});
		let before = seen.secure;
		const fromEnv = await send({KCHAT_SSL_INSECURE_SKIP_VERIFY: '1'}, true);
		expect(fromEnv.stderr).toMatch(/^kchat: WARNING: TLS certificate verification is OFF \(KCHAT_SSL_INSECURE_SKIP_VERIFY\)/);
		expect(seen.secure).toBeGreaterThan(before);
		writeConfig({ssl: {insecureSkipVerify: true}});
		before = seen.secure;
		const fromFile = await send({}, true);
		expect(fromFile.stderr).toMatch(/^kchat: WARNING: TLS certificate verification is OFF \(ssl\.insecureSkipVerify in .*config\.json\)/);
		expect(seen.secure).toBeGreaterThan(before);
	});
});

describe.skipIf(!hasOpenssl)('client certificates (mutual TLS)', () => {
	let server: TlsServer | undefined;
	let dir = '';
	const file = (name: string): string => path.join(dir, name);
	/** The common name of each client certificate the server accepted, and how many handshakes it refused. */
	const accepted: string[] = [];
	let refused = 0;

	const openssl = (...args: string[]): void => {
		const made = spawnSync('openssl', args, {encoding: 'utf8', cwd: dir});
		if (made.status !== 0) throw new Error(`openssl ${args[0]} failed: ${made.stderr}`);
	};

	beforeAll(async () => {
		dir = fs.mkdtempSync(path.join(home, 'mtls-'));
		// A private CA, a broker certificate and a client certificate (CN alice) signed by it.
		openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=kchat test CA');
		fs.writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1\n');
		for (const [name, subject] of [['server', '/CN=127.0.0.1'], ['alice', '/CN=alice']] as const) {
			openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
			openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '1', ...(name === 'server' ? ['-extfile', 'server.ext'] : []));
		}
		openssl('pkey', '-in', 'alice.key', '-aes256', '-passout', `pass:${canary}`, '-out', 'alice-encrypted.key');
		server = await startTlsServer(
			{key: fs.readFileSync(file('server.key')), cert: fs.readFileSync(file('server.pem')), ca: fs.readFileSync(file('ca.pem')), requestCert: true, rejectUnauthorized: true},
			socket => accepted.push(String(socket.getPeerCertificate().subject?.CN)),
			() => refused++,
		);
	});

	afterAll(() => server?.close());

	const send = (env: Record<string, string>, untilHandshake = false): Promise<CliResult> => sendTo(server, env, untilHandshake);

	it('presents the client certificate from the environment or the config file', async () => {
		writeConfig({});
		await send({KCHAT_SSL_CA: file('ca.pem'), KCHAT_SSL_CERT: file('alice.pem'), KCHAT_SSL_KEY: file('alice.key')}, true);
		expect(accepted).toContain('alice');
		accepted.length = 0;
		writeConfig({ssl: {ca: file('ca.pem'), cert: file('alice.pem'), key: file('alice-encrypted.key'), keyPassword: canary}});
		const run = await send({}, true);
		expect(accepted).toContain('alice');
		expect(run.stdout + run.stderr).not.toContain(canary);
	});

	it('without one, a broker that asks for it is refused with a message that says what to set', async () => {
		writeConfig({});
		const before = server!.attempts();
		const run = await send({KCHAT_SSL_CA: file('ca.pem')});
		expect(run.code).toBe(1);
		// Refused at once: one handshake, no retries.
		expect(server!.attempts()).toBe(before + 1);
		expect(run.stderr).toMatch(/asks for a client certificate.*KCHAT_SSL_CERT and KCHAT_SSL_KEY/);
	});

	it('refuses half a client certificate, a key that is not its key, and a wrong passphrase, naming the settings', async () => {
		writeConfig({});
		const [acceptedBefore, attemptsBefore] = [accepted.length, server!.attempts()];
		const ca = {KCHAT_SSL_CA: file('ca.pem')};
		expectCleanFailure(await send({...ca, KCHAT_SSL_CERT: file('alice.pem')}), 1, /set both KCHAT_SSL_CERT and KCHAT_SSL_KEY/);
		expectCleanFailure(await send({...ca, KCHAT_SSL_CERT: file('alice.pem'), KCHAT_SSL_KEY: file('server.key')}), 1, /private key .*server\.key \(from KCHAT_SSL_KEY\) is not the key of the certificate .*alice\.pem/);
		expectCleanFailure(await send({...ca, KCHAT_SSL_CERT: file('alice.pem'), KCHAT_SSL_KEY: file('alice.pem')}), 1, /private key .*alice\.pem \(from KCHAT_SSL_KEY\) holds no PEM private key/);
		const encrypted = {...ca, KCHAT_SSL_CERT: file('alice.pem'), KCHAT_SSL_KEY: file('alice-encrypted.key')};
		expectCleanFailure(await send(encrypted), 1, /cannot decrypt the private key .*: no passphrase \(KCHAT_SSL_KEY_PASSWORD or ssl\.keyPassword\)/);
		expectCleanFailure(await send({...encrypted, KCHAT_SSL_KEY_PASSWORD: 'wrong'}), 1, /cannot decrypt the private key .*: wrong passphrase/);
		// All of it before connecting: the server saw no handshake at all.
		expect([accepted.length, server!.attempts()]).toEqual([acceptedBefore, attemptsBefore]);
	});
});
