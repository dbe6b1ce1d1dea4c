import {createRequire} from 'node:module';
import net from 'node:net';
import type tlsModule from 'node:tls';
import type {ISocketFactory} from 'kafkajs';

// kafkajs's own socket factory, except that Node's TLS module is loaded only for a TLS connection:
// kafkajs's loads it when the client is made, ~5 ms of every command's start (`kchat tail` included)
// on a broker without TLS.

const require = createRequire(import.meta.url);
/** Keep-alive probes after this long idle, as kafkajs's own factory. */
const KEEP_ALIVE_DELAY_MS = 60_000;

export const socketFactory: ISocketFactory = ({host, port, ssl, onConnect}) => {
	const socket = ssl
		? (require('node:tls') as typeof tlsModule).connect({host, port, ...(net.isIP(host) ? {} : {servername: host}), ...ssl}, onConnect)
		: net.connect({host, port}, onConnect);
	socket.setKeepAlive(true, KEEP_ALIVE_DELAY_MS);
	return socket;
};
