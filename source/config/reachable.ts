import net from 'node:net';

/** Why host:port does not accept a TCP connection (e.g. `ECONNREFUSED`), or undefined when it does. No Kafka request is sent. */
export function tcpProblem(address: string, timeoutMs = 1000): Promise<string | undefined> {
	const cut = address.lastIndexOf(':');
	const host = address.slice(0, cut).replace(/^\[|\]$/g, '');
	const port = Number(address.slice(cut + 1));
	return new Promise(resolve => {
		const socket = net.connect({host, port});
		const done = (problem: string | undefined): void => {
			socket.destroy();
			resolve(problem);
		};
		socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
		socket.once('connect', () => done(undefined));
		socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
	});
}

/** True when something accepts a TCP connection at host:port within the timeout. */
export async function reachable(address: string, timeoutMs = 1000): Promise<boolean> {
	return (await tcpProblem(address, timeoutMs)) === undefined;
}
