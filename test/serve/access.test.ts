import {describe, expect, it} from 'vitest';
import {hostProblem, isLoopback, offeredToken, originProblem, policyProblem, tokenMatches, upgradeProblem} from '../../source/serve/access.js';

const TOKEN = 'correct-horse-battery-staple';
const asProtocol = (token: string): string => `kchat.v1, kchat.token.${Buffer.from(token).toString('base64url')}`;

describe('serve access', () => {
	it('knows loopback addresses', () => {
		for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopback(host), host).toBe(true);
		for (const host of ['0.0.0.0', '::', '192.168.1.5', '10.0.0.1', 'example.com', '128.0.0.1']) expect(isLoopback(host), host).toBe(false);
	});

	it('needs a token of some length to listen beyond this machine', () => {
		expect(policyProblem({host: '127.0.0.1', port: 8080})).toBeUndefined();
		expect(policyProblem({host: '0.0.0.0', port: 8080})).toContain('set KCHAT_SERVE_TOKEN');
		expect(policyProblem({host: '0.0.0.0', port: 8080, token: 'short'})).toContain('too short');
		expect(policyProblem({host: '0.0.0.0', port: 8080, token: TOKEN})).toBeUndefined();
	});

	it('refuses other Host names on loopback (DNS rebinding) and other Origins everywhere', () => {
		const loopback = {host: '127.0.0.1', port: 8080};
		expect(hostProblem('127.0.0.1:8080', loopback)).toBeUndefined();
		expect(hostProblem('localhost:8080', loopback)).toBeUndefined();
		expect(hostProblem('[::1]:8080', loopback)).toBeUndefined();
		expect(hostProblem('evil.example:8080', loopback)).toContain('not this machine');
		expect(hostProblem('chat.example:8080', {host: '0.0.0.0', port: 8080, token: TOKEN})).toBeUndefined();
		expect(originProblem('http://127.0.0.1:8080', '127.0.0.1:8080')).toBeUndefined();
		expect(originProblem('http://evil.example', '127.0.0.1:8080')).toContain('not this server');
		expect(originProblem('http://127.0.0.1:9999', '127.0.0.1:8080')).toContain('not this server');
		expect(originProblem(undefined, '127.0.0.1:8080')).toContain('no Origin');
		expect(originProblem('null', '127.0.0.1:8080')).toContain('not a URL');
	});

	it('checks the token offered as a subprotocol', () => {
		expect(offeredToken(['kchat.v1', `kchat.token.${Buffer.from(TOKEN).toString('base64url')}`])).toBe(TOKEN);
		expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
		expect(tokenMatches('wrong', TOKEN)).toBe(false);
		expect(tokenMatches(undefined, TOKEN)).toBe(false);
		expect(tokenMatches(undefined, undefined)).toBe(true);
		const policy = {host: '0.0.0.0', port: 8080, token: TOKEN};
		const page = {host: 'chat.example:8080', origin: 'http://chat.example:8080'};
		expect(upgradeProblem({...page, protocol: asProtocol(TOKEN)}, policy)).toBeUndefined();
		expect(upgradeProblem({...page, protocol: asProtocol('guess')}, policy)?.[0]).toBe(401);
		expect(upgradeProblem({...page, protocol: 'kchat.v1'}, policy)?.[0]).toBe(401);
		expect(upgradeProblem({...page, protocol: 'chat'}, policy)?.[0]).toBe(400);
		expect(upgradeProblem({...page, origin: 'http://evil.example', protocol: asProtocol(TOKEN)}, policy)?.[0]).toBe(403);
	});
});
