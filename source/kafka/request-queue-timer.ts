// Two timers of kafkajs 2.2.4 (its last release), per connection, that wake an idle process for nothing:
//
// - The throttle check is re-armed after every answer, whether or not a request waits: `checkPendingRequests`
//   ends in `scheduleCheckPendingRequests`, which sets a timer at `throttledUntil - Date.now()`, and
//   `throttledUntil` is -1 while nothing is throttled. So every open connection ran a 1 ms timer loop
//   (kafkajs issues #1556 and #1704): about 1,000 wake-ups a second, most of an idle kchat's CPU. Node 24
//   also warned about the negative delay on every command ("TimeoutNegativeWarning: -1796200256687 is a
//   negative number"). The check is needed only while requests wait (throttled, or more than
//   maxInFlightRequests in flight): `push` schedules it when it queues one, and every answer runs it again.
// - Request timeouts are checked by a 100 ms interval per connection, for as long as it is open, requests in
//   flight or not (ten wake-ups a second per connection; kchat keeps about eight open). Here each request
//   sent gets its own deadline instead, cleared when it is answered: a request that times out fails as
//   before (at its deadline rather than at the next 100 ms tick), and an idle connection sets no timer.
//
// Imported once by kafka-client.ts, before any client is made.
import RequestQueue, {type SocketRequest} from 'kafkajs/src/network/requestQueue/index.js';

/** kafkajs's CHECK_PENDING_REQUESTS_INTERVAL. */
const CHECK_PENDING_MS = 10;

RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueue): void {
	if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
	const throttled = this.throttledUntil - Date.now();
	// At least kafkajs's 10 ms even when the throttle has (almost) run out (kafkajs PR #1532: a check that is
	// never scheduled leaves the queue stuck until the broker drops the connection).
	this.throttleCheckTimeoutId = setTimeout(
		() => {
			this.throttleCheckTimeoutId = null;
			this.checkPendingRequests();
		},
		throttled > 0 ? throttled : CHECK_PENDING_MS,
	);
};

/** The deadline of each request in flight. */
const deadlines = new WeakMap<SocketRequest, NodeJS.Timeout>();

function clearDeadline(request: SocketRequest | undefined): void {
	if (!request) return;
	clearTimeout(deadlines.get(request));
	deadlines.delete(request);
}

const {sendSocketRequest, fulfillRequest, rejectAll, destroy} = RequestQueue.prototype;

// On connect kafkajs started the interval here, after clearing any throttle check (which stays).
RequestQueue.prototype.scheduleRequestTimeoutCheck = function scheduleRequestTimeoutCheck(this: RequestQueue): void {
	if (this.enforceRequestTimeout) destroy.call(this);
};

RequestQueue.prototype.sendSocketRequest = function (this: RequestQueue, request: SocketRequest): void {
	sendSocketRequest.call(this, request);
	// A request that expects no answer is already settled.
	if (!this.enforceRequestTimeout || this.inflight.get(request.correlationId) !== request) return;
	const timer = setTimeout(() => {
		deadlines.delete(request);
		if (this.inflight.get(request.correlationId) === request) request.timeoutRequest();
	}, request.requestTimeout);
	// The connection's socket keeps the process alive while a request is in flight; this timer need not.
	timer.unref();
	deadlines.set(request, timer);
};

RequestQueue.prototype.fulfillRequest = function (this: RequestQueue, response: Parameters<RequestQueue['fulfillRequest']>[0]): void {
	clearDeadline(this.inflight.get(response.correlationId));
	fulfillRequest.call(this, response);
};

RequestQueue.prototype.rejectAll = function (this: RequestQueue, error: Error): void {
	for (const request of this.inflight.values()) clearDeadline(request);
	rejectAll.call(this, error);
};

// kafkajs stopped its interval here (on disconnect, or when it found the connection closed): no timeouts after it.
RequestQueue.prototype.destroy = function (this: RequestQueue): void {
	for (const request of this.inflight.values()) clearDeadline(request);
	destroy.call(this);
};
