import {createHash} from 'node:crypto';
import http from 'node:http';
import type {Duplex} from 'node:stream';
import {WebSocketServer, type WebSocket} from 'ws';
import {LIMITS, SUBPROTOCOL} from '../chat/web-protocol.js';
import type {Logger} from '../kafka/log-file.js';
import {hostProblem, tokenMatches, upgradeProblem, type AccessPolicy} from './access.js';
import type {Gateway} from './gateway.js';
import {pageSocket} from './page-socket.js';

/** The page, built into kchat by scripts/bundle.mjs (esbuild): no build step on the user's side. */
export type PageAssets = {html: string; js: string; css: string};

export type HttpServerOptions = AccessPolicy & {page: PageAssets; gateway: Gateway; logger: Logger; maxConnections?: number};

export type RunningServer = {
	/** `http://host:port/`, the port the system picked when 0 was asked for. */
	url: string;
	port: number;
	close(): Promise<void>;
};

/** How often pages are pinged; one that has not answered the last ping is dropped. */
const PING_MS = 30_000;

// The page loads nothing but its own script and style, and talks to nothing but this server: even if
// hostile text ever became markup, no inline script or handler would run and nothing could be sent away.
const SECURITY_HEADERS = {
	'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'no-referrer',
	'X-Frame-Options': 'DENY',
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Resource-Policy': 'same-origin',
};

const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#3b5bdb"/><path d="M4 4h8v6H7l-3 2z" fill="#fff"/></svg>`;

type Asset = {body: Buffer; type: string; etag: string};

function asset(body: string, type: string): Asset {
	const buffer = Buffer.from(body);
	return {body: buffer, type, etag: `"${createHash('sha256').update(buffer).digest('base64url').slice(0, 16)}"`};
}

/** The page, its WebSocket (`/ws`) and a token check (`/auth`), on Node's own HTTP server with `ws`. */
export function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
	const {page, gateway, logger} = options;
	const assets = new Map<string, Asset>([
		['/', asset(page.html, 'text/html; charset=utf-8')],
		['/app.js', asset(page.js, 'text/javascript; charset=utf-8')],
		['/app.css', asset(page.css, 'text/css; charset=utf-8')],
		['/favicon.svg', asset(FAVICON, 'image/svg+xml')],
	]);
	const maxConnections = options.maxConnections ?? 20_000;
	const wss = new WebSocketServer({
		noServer: true,
		maxPayload: LIMITS.frameBytes,
		perMessageDeflate: false,
		handleProtocols: protocols => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
	});

	const server = http.createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://x');
		const problem = hostProblem(request.headers.host, options);
		if (problem) return plain(response, 403, problem);
		if (request.method !== 'GET' && request.method !== 'HEAD') return plain(response, 405, 'only GET');
		if (url.pathname === '/auth') {
			const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
			response.writeHead(tokenMatches(given, options.token) ? 204 : 401, {...SECURITY_HEADERS, 'Cache-Control': 'no-store'});
			return void response.end();
		}
		const found = assets.get(url.pathname);
		if (!found) return plain(response, 404, 'not found');
		if (request.headers['if-none-match'] === found.etag) {
			response.writeHead(304, {...SECURITY_HEADERS, ETag: found.etag});
			return void response.end();
		}
		response.writeHead(200, {...SECURITY_HEADERS, 'Content-Type': found.type, 'Content-Length': found.body.length, ETag: found.etag, 'Cache-Control': 'no-cache'});
		response.end(request.method === 'HEAD' ? undefined : found.body);
	});

	server.on('upgrade', (request, socket: Duplex, head: Buffer) => {
		const url = new URL(request.url ?? '/', 'http://x');
		const refused = (status: number, reason: string): void => {
			logger.info('serve: WebSocket refused', {status, reason, address: request.socket.remoteAddress});
			socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${reason}\n`);
		};
		if (url.pathname !== '/ws') return refused(404, 'the WebSocket is at /ws');
		if (gateway.stopping) return refused(503, 'the server is shutting down');
		const problem = upgradeProblem({host: request.headers.host, origin: request.headers.origin, protocol: request.headers['sec-websocket-protocol']}, options);
		if (problem) return refused(...problem);
		if (gateway.sessionCount >= maxConnections) return refused(503, 'too many connections');
		wss.handleUpgrade(request, socket, head, ws => accept(ws, socket));
	});

	const alive = new WeakSet<WebSocket>();
	const accept = (ws: WebSocket, raw: Duplex): void => {
		const session = gateway.attach(pageSocket(ws, raw));
		alive.add(ws);
		ws.on('pong', () => alive.add(ws));
		// binaryType 'nodebuffer' (the default): each message is one Buffer, fragments joined.
		ws.on('message', data => session.receive(data as Buffer));
		ws.on('close', () => session.ended());
		ws.on('error', error => logger.debug('serve: socket error', {error: error.message}));
	};
	const pinger = setInterval(() => {
		for (const ws of wss.clients) {
			if (!alive.has(ws)) {
				ws.terminate();
				continue;
			}
			alive.delete(ws);
			ws.ping();
		}
	}, PING_MS);
	pinger.unref();

	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port, options.host, () => {
			server.off('error', reject);
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : options.port;
			const host = options.host.includes(':') ? `[${options.host}]` : options.host;
			resolve({
				url: `http://${host}:${port}/`,
				port,
				close: () =>
					new Promise<void>(done => {
						clearInterval(pinger);
						for (const ws of wss.clients) ws.terminate();
						wss.close();
						server.close(() => done());
						server.closeAllConnections();
					}),
			});
		});
	});
}

function plain(response: http.ServerResponse, status: number, text: string): void {
	response.writeHead(status, {...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store'});
	response.end(text + '\n');
}
