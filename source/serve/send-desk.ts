import {encodeRecord, recordSizeEstimate} from '../chat/record-codec.js';
import type {ClientMessage, ServerMessage} from '../chat/web-protocol.js';
import type {Delivered, OutboxEntry} from '../kafka/gateway-engine.js';
import {RateLimit} from './rate-limit.js';

type SendMessage = Extract<ClientMessage, {t: 'send'}>;

/** Ids of delivered messages remembered, so a page that re-sends after a reconnect is answered, not sent twice. */
const RECENT_IDS = 50_000;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Where pages' messages enter the outbox: each becomes a record keyed by the page's nick, at most
 * `rate` a second per page (bursts of 3 s worth), within the room's size limit. A page that re-sends a
 * message it has not seen settled (after a reconnect) is answered with the delivery it had, or waits
 * for the one under way: a message is never sent twice.
 */
export class SendDesk {
	private readonly inflight = new Map<string, Promise<Delivered>>();
	private readonly recent = new Map<string, Delivered>();
	private readonly limits = new WeakMap<object, RateLimit>();

	constructor(
		private readonly send: (entry: OutboxEntry) => Promise<Delivered>,
		private readonly rate: number,
	) {}

	/** `page` is the sender's session (its rate limit); `limit` the room's max.message.bytes (0: unknown yet). */
	submit(page: object, nick: string, message: SendMessage, limit: number, reply: (message: ServerMessage) => void): void {
		const {room, id} = message;
		const fail = (error: string): void => reply({t: 'failed', room, id, error});
		const answer = (d: Delivered): void => reply({t: 'delivered', room, id, ...d});
		const key = `${nick}\n${id}`;
		const done = this.recent.get(key);
		if (done) return answer(done);
		const running = this.inflight.get(key);
		if (running) return void running.then(answer, error => fail(errorText(error)));
		let limiter = this.limits.get(page);
		if (!limiter) this.limits.set(page, (limiter = new RateLimit(this.rate, this.rate * 3)));
		if (!limiter.take()) return fail(`too many messages: at most ${this.rate} a second`);
		const entry: OutboxEntry = {id, room, user: nick, type: message.type, text: message.text, sentAt: Date.now()};
		const size = recordSizeEstimate(encodeRecord(entry));
		if (limit > 0 && size > limit) return fail(`message is too large: ${size} bytes, room ${room} takes at most ${limit} bytes (max.message.bytes)`);
		const delivery = this.send(entry);
		this.inflight.set(key, delivery);
		delivery.then(
			d => {
				this.inflight.delete(key);
				this.recent.set(key, d);
				if (this.recent.size > RECENT_IDS) this.recent.delete(this.recent.keys().next().value!);
				answer(d);
			},
			error => {
				this.inflight.delete(key);
				fail(errorText(error));
			},
		);
	}
}
