import net from 'node:net';

/** True when nothing listens on host:port (we could bind it ourselves). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
	return new Promise(resolve => {
		const server = net.createServer();
		server.unref();
		server.once('error', () => resolve(false));
		server.listen({port, host, exclusive: true}, () => server.close(() => resolve(true)));
	});
}

/** A port the OS says is free right now. */
export function freePort(host = '127.0.0.1'): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.once('error', reject);
		server.listen({port: 0, host, exclusive: true}, () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => (port ? resolve(port) : reject(new Error('the OS gave no free port'))));
		});
	});
}

/** True when something accepts a TCP connection on host:port within `timeoutMs`. */
export function isAnswering(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
	return new Promise(resolve => {
		const socket = net.connect({port, host});
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(timeoutMs, () => done(false));
		socket.once('connect', () => done(true));
		socket.once('error', () => done(false));
	});
}

/** A free port that is none of `taken` (ports chosen a moment ago are not bound yet, so the OS may hand them out again). */
export async function freePortExcept(taken: readonly number[]): Promise<number> {
	for (;;) {
		const port = await freePort();
		if (!taken.includes(port)) return port;
	}
}

/** The first of `count` consecutive ports that are all free right now (a cluster's client ports). */
export async function freePortRun(count: number): Promise<number> {
	for (;;) {
		const first = await freePort();
		if (first + count > 65536) continue;
		let free = true;
		for (let port = first + 1; port < first + count && free; port++) free = await isPortFree(port);
		if (free) return first;
	}
}
