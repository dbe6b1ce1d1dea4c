import RequestQueue from 'kafkajs/src/network/requestQueue/index.js';
import {afterEach, describe, expect, it, vi} from 'vitest';
import '../../source/kafka/request-queue-timer.js';

// kafkajs's request queue, one per connection, with kchat's timer changes (source/kafka/request-queue-timer.ts):
// an idle connection keeps no timer, and requests still time out and still wait out a throttle.

const quiet = {debug: () => {}, info: () => {}, warn: () => {}, error: () => {}};

function queue(requestTimeout: number): RequestQueue {
	return new RequestQueue({maxInFlightRequests: null, requestTimeout, enforceRequestTimeout: true, clientId: 'test', broker: 'localhost:1', logger: quiet});
}

/** Pushes a request the way a connection does; `sent` settles when it goes out on the wire. */
function request(q: RequestQueue, correlationId: number): {answer: Promise<unknown>; sent: Promise<void>} {
	let wire: () => void = () => {};
	const sent = new Promise<void>(resolve => (wire = resolve));
	const answer = new Promise((resolve, reject) => {
		q.push({entry: {correlationId, apiName: 'Fetch', apiKey: 1, apiVersion: 11, resolve, reject}, expectResponse: true, sendRequest: () => wire()});
	});
	return {answer, sent};
}

afterEach(() => {
	vi.restoreAllMocks();
});

describe('kafkajs request queue timers', () => {
	it('sets no timer on an idle connection, and still times out a request that gets no answer', async () => {
		const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
		const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
		const q = queue(50);
		q.scheduleRequestTimeoutCheck(); // what a connection does once connected
		q.checkPendingRequests(); // what it does after every answer
		expect(setIntervalSpy).not.toHaveBeenCalled();
		expect(setTimeoutSpy).not.toHaveBeenCalled();
		expect(q.throttleCheckTimeoutId).toBeNull();

		const {answer} = request(q, 1);
		await expect(answer).rejects.toThrow(/timed out/);
		expect(q.inflight.size).toBe(0);
		q.destroy();
	});

	it('sends a throttled request once the throttle is over, and keeps no timer after its answer', async () => {
		const q = queue(10_000);
		q.scheduleRequestTimeoutCheck();
		q.maybeThrottle(30);
		const {answer, sent} = request(q, 7);
		expect(q.pending).toHaveLength(1);
		await sent;
		q.fulfillRequest({correlationId: 7, payload: 'ok', size: 2});
		await expect(answer).resolves.toMatchObject({correlationId: 7, payload: 'ok'});
		// kafkajs 2.2.4 re-armed its throttle check here, every millisecond, for as long as the connection was open.
		expect(q.throttleCheckTimeoutId).toBeNull();
		expect(q.inflight.size).toBe(0);
		q.destroy();
	});
});
