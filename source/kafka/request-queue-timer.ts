// kafkajs 2.2.4 (its last release) schedules its throttle check at `throttledUntil - Date.now()`, and
// `throttledUntil` is -1 while nothing is throttled: a delay of minus the current time, which Node 24
// reports on every command ("TimeoutNegativeWarning: -1796200256687 is a negative number"). Node runs
// such a timer after 1 ms either way; the same method with the delay clamped at 0 behaves alike, quietly.
// Imported once by kafka-client.ts, before any client is made.
import RequestQueue from 'kafkajs/src/network/requestQueue/index.js';

/** kafkajs's CHECK_PENDING_REQUESTS_INTERVAL. */
const CHECK_PENDING_MS = 10;

RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: InstanceType<typeof RequestQueue>): void {
	let scheduleAt = Math.max(0, this.throttledUntil - Date.now());
	if (this.throttleCheckTimeoutId) return;
	if (this.pending.length > 0) scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_MS;
	this.throttleCheckTimeoutId = setTimeout(() => {
		this.throttleCheckTimeoutId = null;
		this.checkPendingRequests();
	}, scheduleAt);
};
