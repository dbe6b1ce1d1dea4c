// The kafkajs internals kchat touches (request-queue-timer.ts, paused-consumer-wait.ts, seek-offsets.ts,
// groupless-consumers.ts), typed as far as they are used.
declare module 'kafkajs/src/network/requestQueue/index.js' {
	export type SocketRequest = {
		correlationId: number;
		requestTimeout: number;
		timeoutRequest(): void;
	};
	export default class RequestQueue {
		constructor(options: {
			maxInFlightRequests: number | null;
			requestTimeout: number;
			enforceRequestTimeout: boolean;
			clientId: string;
			broker: string;
			logger: {debug(...args: unknown[]): void; info(...args: unknown[]): void; warn(...args: unknown[]): void; error(...args: unknown[]): void};
			isConnected?: () => boolean;
		});
		enforceRequestTimeout: boolean;
		throttledUntil: number;
		throttleCheckTimeoutId: NodeJS.Timeout | null;
		pending: unknown[];
		inflight: Map<number, SocketRequest>;
		checkPendingRequests(): void;
		scheduleCheckPendingRequests(): void;
		scheduleRequestTimeoutCheck(): void;
		sendSocketRequest(request: SocketRequest): void;
		fulfillRequest(response: {correlationId: number; payload: unknown; size: number}): void;
		rejectAll(error: Error): void;
		maybeThrottle(clientSideThrottleTime: number | null): void;
		push(request: {entry: {correlationId: number; resolve(value: unknown): void; reject(error: Error): void; apiName?: string; apiKey?: number; apiVersion?: number}; expectResponse: boolean; sendRequest(): void; requestTimeout?: number}): void;
		destroy(): void;
	}
}

declare module 'kafkajs/src/consumer/consumerGroup.js' {
	export default class ConsumerGroup {
		groupId: string;
		cluster: {refreshMetadata(): Promise<void>; refreshMetadataIfNecessary(): Promise<void>};
		coordinator: unknown;
		memberId: string | null;
		leaderId: string | null;
		generationId: number | null;
		members: unknown[] | null;
		groupProtocol: string | null;
		topics: string[];
		topicsSubscribed: string[];
		topicConfigurations: unknown;
		instrumentationEmitter: unknown;
		autoCommit: boolean;
		autoCommitInterval: number | null;
		autoCommitThreshold: number | null;
		partitionsPerSubscribedTopic: Map<string, number[]> | null;
		offsetManager: unknown;
		generatePartitionsPerSubscribedTopic(): Map<string, number[]>;
		subscriptionState: {
			active(): Array<{topic: string; partitions: number[]}>;
			assign(topicPartitions: Array<{topic: string; partitions: number[]}>): void;
		};
		seekOffset: Map<string, string>;
		fetch(nodeId: number): Promise<unknown[]>;
		seek(offset: {topic: string; partition: number; offset: string}): void;
		resume(topicPartitions: Array<{topic: string; partitions?: number[]}>): void;
	}
}

declare module 'kafkajs/src/consumer/offsetManager/index.js' {
	export default class OffsetManager {
		constructor(options: {
			cluster: unknown;
			coordinator: unknown;
			memberAssignment: Record<string, number[]>;
			autoCommit: boolean;
			autoCommitInterval: number | null;
			autoCommitThreshold: number | null;
			topicConfigurations: unknown;
			instrumentationEmitter: unknown;
			groupId: string;
			generationId: number | null;
			memberId: string | null;
		});
		autoCommit: boolean;
		memberAssignment: Record<string, number[]>;
		committedOffsets(): Record<string, Record<number, string>>;
		seek(entry: {topic: string; partition: number; offset: string}): Promise<void>;
	}
}
