// The CA and certificates kchat broker makes with openssl, checked with Node's own X.509 reader.
import {spawnSync} from 'node:child_process';
import {X509Certificate} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import {afterAll, describe, expect, it} from 'vitest';
import {ensureCa, ensureClientCertificate, ensureNodeKeystore, tlsPaths} from '../../source/broker/certificates.js';

const hasOpenssl = !spawnSync('openssl', ['version']).error;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-certs-'));
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

const certificates = (pem: string): X509Certificate[] => (pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? []).map(c => new X509Certificate(c));
const mode = (file: string): number => fs.statSync(file).mode & 0o777;

describe.skipIf(!hasOpenssl)('certificates', () => {
	const paths = tlsPaths(dir);

	it('a CA, and a node key store (key, certificate, CA) for 127.0.0.1 and localhost, signed by it', () => {
		ensureCa(paths);
		const ca = new X509Certificate(fs.readFileSync(paths.caCert));
		expect(ca.ca).toBe(true);
		expect(mode(paths.caKey)).toBe(0o600);
		expect(mode(paths.dir)).toBe(0o700);

		const keystore = ensureNodeKeystore(paths, 2);
		const pem = fs.readFileSync(keystore, 'utf8');
		expect(pem.startsWith('-----BEGIN PRIVATE KEY-----')).toBe(true); // PKCS#8, as Kafka's PEM key store wants
		expect(mode(keystore)).toBe(0o600);
		const [node, chain] = certificates(pem);
		expect(node!.subject).toBe('CN=kchat-node-2');
		expect(node!.checkIssued(ca) && node!.verify(ca.publicKey)).toBe(true);
		expect(node!.checkIP('127.0.0.1')).toBe('127.0.0.1');
		expect(node!.checkHost('localhost')).toBe('localhost');
		expect(node!.ca).toBe(false);
		expect(chain!.fingerprint256).toBe(ca.fingerprint256);
		tls.createSecureContext({cert: pem, key: pem}); // the key is the certificate's
	});

	it('is made once: a second call keeps the same CA and key store', () => {
		const before = [fs.readFileSync(paths.caCert, 'utf8'), fs.readFileSync(ensureNodeKeystore(paths, 2), 'utf8')];
		ensureCa(paths);
		expect([fs.readFileSync(paths.caCert, 'utf8'), fs.readFileSync(ensureNodeKeystore(paths, 2), 'utf8')]).toEqual(before);
	});

	it('a client certificate per nick, CN=nick, signed by the CA, kept once made', () => {
		const made = ensureClientCertificate(paths, 'alice');
		expect(made.created).toBe(true);
		const cert = new X509Certificate(fs.readFileSync(made.cert));
		expect(cert.subject).toBe('CN=alice');
		expect(cert.verify(new X509Certificate(fs.readFileSync(paths.caCert)).publicKey)).toBe(true);
		expect(mode(made.key)).toBe(0o600);
		expect(ensureClientCertificate(paths, 'alice')).toEqual({...made, created: false});
		expect(() => ensureClientCertificate(paths, '../alice')).toThrow(/cannot name a client certificate/);
		expect(fs.readdirSync(paths.clientsDir).sort()).toEqual(['alice.key', 'alice.pem']); // nothing left behind
	});
});
