import {createHash, timingSafeEqual} from 'node:crypto';
import net from 'node:net';
import {SUBPROTOCOL, TOKEN_PROTOCOL_PREFIX} from '../chat/web-protocol.js';

// Who may open the page and its WebSocket. On a loopback address only this machine can connect, but any
// web site open in its browser can try: the Host header must name the loopback address (no DNS
// rebinding) and the Origin header must be the page's own (no cross-site WebSocket). On any other
// address a token is required as well (KCHAT_SERVE_TOKEN), sent by the page as a WebSocket subprotocol,
// so it never appears in a URL, a server log or a Referer.

export const MIN_TOKEN_LENGTH = 16;

export type AccessPolicy = {
	/** The address the server listens on. */
	host: string;
	port: number;
	token?: string;
};

/** 127.0.0.0/8, ::1 and localhost: only this machine can reach them. */
export function isLoopback(host: string): boolean {
	const bare = host.replace(/^\[|\]$/g, '');
	if (bare === 'localhost') return true;
	if (net.isIPv4(bare)) return bare.startsWith('127.');
	if (net.isIPv6(bare)) return bare === '::1' || /^::ffff:127\./i.test(bare);
	return false;
}

/** Why the server cannot start with this address and token, or undefined. */
export function policyProblem(policy: AccessPolicy): string | undefined {
	if (policy.token !== undefined && policy.token.length < MIN_TOKEN_LENGTH) return `KCHAT_SERVE_TOKEN is too short: use at least ${MIN_TOKEN_LENGTH} characters (for example: openssl rand -hex 16)`;
	if (!isLoopback(policy.host) && policy.token === undefined) {
		return `--host ${policy.host} lets other machines connect: set KCHAT_SERVE_TOKEN (at least ${MIN_TOKEN_LENGTH} characters) first, or serve on 127.0.0.1`;
	}
	return undefined;
}

/** The host part of a Host header (`[::1]:8080` -> `::1`), lower case. */
function hostName(header: string): string {
	const match = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(header.trim().toLowerCase());
	return (match?.[1] ?? '').replace(/^\[|\]$/g, '');
}

/** Why a request's Host header is refused, or undefined: on loopback, only loopback names (DNS rebinding). */
export function hostProblem(hostHeader: string | undefined, policy: AccessPolicy): string | undefined {
	if (!hostHeader) return 'no Host header';
	if (isLoopback(policy.host) && !isLoopback(hostName(hostHeader))) return `Host ${hostHeader.slice(0, 100)} is not this machine's loopback address`;
	return undefined;
}

/** Why a WebSocket upgrade's Origin is refused, or undefined: it must be the page's own (same host and port). */
export function originProblem(origin: string | undefined, hostHeader: string | undefined): string | undefined {
	if (!origin) return 'no Origin header (only the kchat page may connect)';
	let url: URL;
	try {
		url = new URL(origin);
	} catch {
		return 'Origin is not a URL';
	}
	if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.host !== (hostHeader ?? '').toLowerCase()) return `Origin ${origin.slice(0, 100)} is not this server's page`;
	return undefined;
}

/** The subprotocols offered in `Sec-WebSocket-Protocol`. */
export function offeredProtocols(header: string | undefined): string[] {
	return (header ?? '')
		.split(',')
		.map(p => p.trim())
		.filter(Boolean);
}

/** The token the page offered (`kchat.token.<base64url of the token>`), if any. */
export function offeredToken(protocols: readonly string[]): string | undefined {
	const offered = protocols.find(p => p.startsWith(TOKEN_PROTOCOL_PREFIX));
	if (!offered) return undefined;
	return Buffer.from(offered.slice(TOKEN_PROTOCOL_PREFIX.length), 'base64url').toString('utf8');
}

/** Compares in constant time (over hashes, so the lengths leak nothing either). */
export function tokenMatches(given: string | undefined, expected: string | undefined): boolean {
	if (expected === undefined) return true;
	if (given === undefined) return false;
	const a = createHash('sha256').update(given).digest();
	const b = createHash('sha256').update(expected).digest();
	return timingSafeEqual(a, b);
}

/** Why a WebSocket upgrade is refused ([HTTP status, reason]), or undefined to accept it. */
export function upgradeProblem(headers: {host?: string; origin?: string; protocol?: string}, policy: AccessPolicy): [number, string] | undefined {
	const host = hostProblem(headers.host, policy);
	if (host) return [403, host];
	const origin = originProblem(headers.origin, headers.host);
	if (origin) return [403, origin];
	const protocols = offeredProtocols(headers.protocol);
	if (!protocols.includes(SUBPROTOCOL)) return [400, `the page must offer the ${SUBPROTOCOL} subprotocol`];
	if (!tokenMatches(offeredToken(protocols), policy.token)) return [401, policy.token === undefined ? 'unexpected token' : 'a valid token is required (KCHAT_SERVE_TOKEN, given to the page as #token=…)'];
	return undefined;
}
