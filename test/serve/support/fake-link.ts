import type {ChatMessage} from '../../../source/chat/message.js';
import type {ServerMessage} from '../../../source/chat/web-protocol.js';
import type {PartitionOffset, PartitionRange} from '../../../source/kafka/gateway-engine.js';
import type {HubLink, Subscriber} from '../../../source/serve/room-hub.js';

/** The engine as a hub sees it, with the topic's ranges set by the test and every open() recorded. */
export class FakeLink implements HubLink {
	opens: PartitionOffset[][] = [];
	closed = false;
	constructor(public ranges_: PartitionRange[]) {}
	async prepareRoom(): Promise<number> {
		return 1_000_000;
	}
	async ranges(): Promise<PartitionRange[]> {
		return this.ranges_;
	}
	async open(_room: string, from: PartitionOffset[]): Promise<void> {
		this.opens.push(from);
	}
	close(): void {
		this.closed = true;
	}
}

/** A record of partition p at offset o, timestamped so that the room's order is (ts, p, o). */
export function record(room: string, partition: number, offset: number, ts = 1000 + offset * 10 + partition): ChatMessage {
	return {id: `${room}/${partition}/${offset}`, room, user: 'u', type: 'message', text: `p${partition}o${offset}`, timestamp: ts, partition, offset: String(offset), state: 'delivered', foreign: false};
}

/** A page as the hub sees it: the frames it got, decoded. */
export class FakePage implements Subscriber {
	frames: ServerMessage[] = [];
	buffers: Buffer[] = [];
	limit = 0;
	isLive = false;
	error = '';
	constructor(
		readonly history: number,
		readonly since?: ReadonlyMap<number, bigint>,
	) {}
	joined(limit: number): void {
		this.limit = limit;
	}
	deliver(frame: Buffer): void {
		this.buffers.push(frame);
		this.frames.push(JSON.parse(frame.toString()) as ServerMessage);
	}
	live(): void {
		this.isLive = true;
	}
	failed(error: string): void {
		this.error = error;
	}
	/** Every message text received, in arrival order. */
	texts(): string[] {
		return this.frames.flatMap(f => (f.t === 'msgs' ? f.m.map(m => m.text) : []));
	}
}

/** Lets pending promise callbacks run. */
export const settle = (): Promise<void> => new Promise(resolve => setImmediate(resolve));
