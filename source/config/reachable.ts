import net from 'node:net';

/** True when something accepts a TCP connection at host:port within the timeout (no Kafka request is sent). */
export function reachable(address: string, timeoutMs = 1000): Promise<boolean> {
	const cut = address.lastIndexOf(':');
	const host = address.slice(0, cut).replace(/^\[|\]$/g, '');
	const port = Number(address.slice(cut + 1));
	return new Promise(resolve => {
		const socket = net.connect({host, port});
		const done = (ok: boolean): void => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(timeoutMs, () => done(false));
		socket.once('connect', () => done(true));
		socket.once('error', () => done(false));
	});
}
