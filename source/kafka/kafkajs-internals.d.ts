// The one kafkajs internal kchat touches (see request-queue-timer.ts), typed as far as it is used.
declare module 'kafkajs/src/network/requestQueue/index.js' {
	export default class RequestQueue {
		throttledUntil: number;
		throttleCheckTimeoutId: NodeJS.Timeout | null;
		pending: unknown[];
		checkPendingRequests(): void;
		scheduleCheckPendingRequests(): void;
	}
}
