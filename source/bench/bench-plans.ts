// How big each measurement of `kchat bench` is, apart from the code that runs them: the command's help
// quotes these figures, and a bench child process (`--internal MODE`) should not load the whole bench.

/** How big each measurement is: the full run, or `--quick` (under a minute). */
export type BenchPlan = {
	e2eMessages: number;
	e2eRate: number;
	/** Bytes of text per message, for kchat and Kafka's tool alike. */
	size: number;
	joins: number;
	newRoomJoins: number;
	/** Fresh `kchat tail` processes timed from start to their first live line. */
	tailStarts: number;
	rates: number[];
	stepMs: number;
	/** Lines in the room whose whole history one instance takes in (the catch-up rate). */
	backlog: number;
	renderMessages: number;
	/** Fresh processes the render measurement runs in: the median first frame, all keys together. */
	renderRuns: number;
	keys: number;
	/** Keys typed while 200 lines a second arrive. */
	busyKeys: number;
	/** Seconds the bytes written at 50 lines a second are counted. */
	bytesSeconds: number;
	memoryMessages: number;
	memoryRooms: number;
	/** Quiet rooms a TUI sits in, and for how long, for the idle CPU figure. */
	idleRooms: number;
	idleSeconds: number;
};

export const FULL_PLAN: BenchPlan = {
	e2eMessages: 10_000,
	// A busy room, well below what one sender's producer can do (about 400 a second: one request in
	// flight, idempotent), so the figure is latency, not queueing.
	e2eRate: 200,
	size: 100,
	joins: 20,
	newRoomJoins: 5,
	tailStarts: 11,
	rates: [5000, 10_000, 20_000, 25_000, 30_000, 40_000, 50_000, 60_000],
	stepMs: 5000,
	backlog: 200_000,
	renderMessages: 50_000,
	renderRuns: 3,
	keys: 60,
	busyKeys: 60,
	bytesSeconds: 10,
	memoryMessages: 50_000,
	memoryRooms: 10,
	idleRooms: 5,
	idleSeconds: 30,
};

export const QUICK_PLAN: BenchPlan = {
	...FULL_PLAN,
	e2eMessages: 2000,
	joins: 10,
	newRoomJoins: 2,
	tailStarts: 5,
	rates: [10_000, 20_000, 30_000],
	stepMs: 2000,
	backlog: 40_000,
	renderRuns: 1,
	keys: 30,
	busyKeys: 30,
	bytesSeconds: 5,
	idleSeconds: 10,
};

/** `generators`: load generator processes; a browser tab reads one socket, one process reading a thousand queues them. */
export type ServePlan = {clients: number[]; rate: number; seconds: number; warmupSeconds: number; size: number; generators: number};

export const SERVE_PLAN: ServePlan = {clients: [100, 1000], rate: 100, seconds: 30, warmupSeconds: 3, size: 100, generators: 2};
export const SERVE_QUICK_PLAN: ServePlan = {...SERVE_PLAN, seconds: 10, warmupSeconds: 2};
