// TLS for a broker or a cluster: whether this start has it, and the files it needs.
import fs from 'node:fs';
import {BrokerError} from './broker-error.js';
import {ensureCa, ensureClientCertificate, ensureNodeKeystore, tlsPaths, type ClientCertificate} from './certificates.js';

/** `--tls` / `--tls-client-auth`. */
export type TlsRequest = {clientAuth?: boolean};

/** What a client needs to reach a TLS broker or cluster. */
export type TlsResult = {caFile: string; clientAuth: boolean; clientCertificate?: ClientCertificate};

/** TLS stays as the broker or cluster was made (like SASL); it can be turned on or changed only while nothing runs. */
export function tlsChoice(dataDir: string, was: {clientAuth: boolean} | undefined, requested: TlsRequest | undefined, running: boolean): {clientAuth: boolean} | undefined {
	if (!requested) return was;
	const wanted = {clientAuth: requested.clientAuth ?? was?.clientAuth ?? false};
	if (running && (!was || was.clientAuth !== wanted.clientAuth)) {
		throw new BrokerError('invalid-option', `the Kafka in ${dataDir} runs ${was ? (was.clientAuth ? 'with' : 'without') + ' client certificates' : 'without TLS'}: stop it first (kchat broker stop --data-dir ${dataDir}) to change that`);
	}
	return wanted;
}

/** The CA, each node's key store, and a client certificate when asked for; what the probe and the result need. */
export function tlsMaterial(dataDir: string, nodeIds: readonly number[], clientAuth: boolean, nick: string | undefined) {
	const tls = tlsPaths(dataDir);
	ensureCa(tls);
	const keystores = new Map(nodeIds.map(id => [id, ensureNodeKeystore(tls, id)]));
	const clientCertificate = clientAuth && nick ? ensureClientCertificate(tls, nick) : undefined;
	const ca = fs.readFileSync(tls.caCert, 'utf8');
	return {
		result: {caFile: tls.caCert, clientAuth, ...(clientCertificate ? {clientCertificate} : {})} satisfies TlsResult,
		nodeFiles: (id: number) => ({keystore: keystores.get(id)!, truststore: tls.caCert, clientAuth}),
		// The probe shows the node's own certificate: it is a client certificate too.
		probeTls: (id: number) => {
			const own = fs.readFileSync(keystores.get(id)!, 'utf8');
			return clientAuth ? {ca, cert: own, key: own} : {ca};
		},
	};
}

