// A private CA and the certificates signed by it, made with openssl: one per node (its TLS listener, and
// its client certificate towards the other nodes) and one per chat user who asks (mutual TLS).
// Keys are unencrypted PKCS#8 PEM files readable only by their owner: Kafka reads them as a PEM key
// store (`ssl.keystore.type=PEM`, no JKS and no store password), Node and librdkafka read them as they are.
import {randomBytes} from 'node:crypto';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {BrokerError} from './broker-error.js';

/** Where one cluster's TLS material lives: `<data-dir>/tls`. */
export type TlsPaths = {
	dir: string;
	/** The CA certificate: what clients trust (`KCHAT_SSL_CA`, kcat's `ssl.ca.location`). */
	caCert: string;
	caKey: string;
	clientsDir: string;
};

export const tlsPaths = (dataDir: string): TlsPaths => {
	const dir = path.join(dataDir, 'tls');
	return {dir, caCert: path.join(dir, 'ca.pem'), caKey: path.join(dir, 'ca.key'), clientsDir: path.join(dir, 'clients')};
};

/** A node's PEM key store: its private key, then its certificate and the CA's. */
export const nodeKeystore = (tls: TlsPaths, nodeId: number): string => path.join(tls.dir, `node-${nodeId}.pem`);

export type ClientCertificate = {nick: string; cert: string; key: string; created: boolean};

const CA_DAYS = 3650;
const LEAF_DAYS = 825;

/** The CA, made once per data directory. */
export function ensureCa(tls: TlsPaths): void {
	makePrivateDir(tls.dir);
	if (fs.existsSync(tls.caCert) && fs.existsSync(tls.caKey)) return;
	const key = newKey(tls.caKey);
	openssl(['req', '-new', '-x509', '-key', key, '-out', tls.caCert, '-days', String(CA_DAYS), '-subj', '/CN=kchat local CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], tls.dir);
}

/**
 * Node `nodeId`'s key store, made once. The certificate names 127.0.0.1 and localhost (where kchat runs
 * the node; clients and the other nodes check it) and `kafka-<id>` (its name in docker-compose.yml), and
 * serves as server and as client certificate: the nodes show it to each other when client auth is on.
 */
export function ensureNodeKeystore(tls: TlsPaths, nodeId: number): string {
	const keystore = nodeKeystore(tls, nodeId);
	if (fs.existsSync(keystore)) return keystore;
	const names = ['IP:127.0.0.1', 'DNS:localhost', `DNS:kafka-${nodeId}`];
	const {cert, key} = signLeaf(tls, `node-${nodeId}`, `kchat-node-${nodeId}`, names, 'serverAuth,clientAuth');
	writePrivate(keystore, fs.readFileSync(key, 'utf8') + fs.readFileSync(cert, 'utf8') + fs.readFileSync(tls.caCert, 'utf8'));
	fs.rmSync(cert, {force: true});
	fs.rmSync(key, {force: true});
	return keystore;
}

/** A client certificate for a nick (CN=nick), signed by the cluster's CA; kept and reused once made. */
export function ensureClientCertificate(tls: TlsPaths, nick: string): ClientCertificate {
	if (!/^[A-Za-z0-9._-]{1,64}$/.test(nick) || nick === '.' || nick === '..') throw new BrokerError('invalid-option', `"${nick.replace(/[^\x20-\x7e]/g, '?').slice(0, 70)}" cannot name a client certificate: use 1-64 of a-z A-Z 0-9 . _ -`);
	if (!fs.existsSync(tls.caKey)) throw new BrokerError('invalid-option', `${path.dirname(tls.dir)} has no CA: start it with --tls first`);
	makePrivateDir(tls.clientsDir);
	const cert = path.join(tls.clientsDir, `${nick}.pem`);
	const key = path.join(tls.clientsDir, `${nick}.key`);
	if (fs.existsSync(cert) && fs.existsSync(key)) return {nick, cert, key, created: false};
	const made = signLeaf(tls, path.join('clients', nick), nick, [], 'clientAuth');
	fs.renameSync(made.cert, cert);
	fs.renameSync(made.key, key);
	return {nick, cert, key, created: true};
}

/** A key and a certificate signed by the CA, as `<dir>/<name>.key` and `<name>.pem`. */
function signLeaf(tls: TlsPaths, name: string, commonName: string, altNames: string[], usage: string): {cert: string; key: string} {
	const base = path.join(tls.dir, `${name}.tmp-${process.pid}`);
	const key = newKey(`${base}.key`);
	const csr = `${base}.csr`;
	const ext = `${base}.ext`;
	const cert = `${base}.pem`;
	try {
		fs.writeFileSync(ext, ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', `extendedKeyUsage=${usage}`, ...(altNames.length > 0 ? [`subjectAltName=${altNames.join(',')}`] : []), ''].join('\n'));
		openssl(['req', '-new', '-key', key, '-out', csr, '-subj', `/CN=${commonName}`], tls.dir);
		openssl(['x509', '-req', '-in', csr, '-CA', tls.caCert, '-CAkey', tls.caKey, '-set_serial', `0x${randomBytes(16).toString('hex')}`, '-days', String(LEAF_DAYS), '-extfile', ext, '-out', cert], tls.dir);
		return {cert, key};
	} finally {
		fs.rmSync(csr, {force: true});
		fs.rmSync(ext, {force: true});
	}
}

/** A P-256 key (fast to make, understood by Java, Node and librdkafka) as PKCS#8 PEM, mode 0600. */
function newKey(file: string): string {
	fs.rmSync(file, {force: true});
	fs.writeFileSync(file, '', {mode: 0o600});
	openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-pkeyopt', 'ec_param_enc:named_curve', '-out', file], path.dirname(file));
	fs.chmodSync(file, 0o600);
	return file;
}

function openssl(args: string[], cwd: string): void {
	const run = spawnSync('openssl', args, {cwd, encoding: 'utf8', timeout: 30_000});
	if (run.error) {
		const missing = (run.error as NodeJS.ErrnoException).code === 'ENOENT';
		throw new BrokerError('missing-prerequisite', missing ? 'openssl is needed to make the TLS certificates (--tls) and was not found: install it, e.g. `sudo apt-get install openssl`' : `could not run openssl: ${run.error.message}`);
	}
	if (run.status !== 0) throw new BrokerError('start-failed', `openssl ${args[0]} failed (exit ${run.status}): ${(run.stderr || run.stdout).trim().split('\n').slice(-3).join(' ')}`);
}

function makePrivateDir(dir: string): void {
	fs.mkdirSync(dir, {recursive: true, mode: 0o700});
	fs.chmodSync(dir, 0o700);
}

function writePrivate(file: string, text: string): void {
	const temporary = `${file}.${process.pid}.tmp`;
	fs.writeFileSync(temporary, text, {mode: 0o600});
	fs.renameSync(temporary, file);
}
