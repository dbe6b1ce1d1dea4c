import type {Admin} from 'kafkajs';
import {createKafka, tlsPreflight, type ClientOptions} from './kafka-client.js';
import {checkRoomName, ensureRoom, listRooms, partitionRanges} from './room-admin.js';

export type RoomStats = {name: string; partitions: number; messages: number};

export class RoomMissingError extends Error {}

/** Room administration for `kchat rooms`: no consumers, no presence, just an admin client. */
export class ClusterAdmin {
	private admin: Admin;

	constructor(private readonly options: Omit<ClientOptions, 'clientId'>) {
		this.admin = this.newAdmin();
	}

	private newAdmin(): Admin {
		return createKafka({...this.options, clientId: 'kchat-admin'}).admin({retry: {retries: 2, initialRetryTime: 200, maxRetryTime: 1000}});
	}

	async connect(): Promise<void> {
		await tlsPreflight(this.options);
		await this.admin.connect();
	}

	disconnect(): Promise<void> {
		return this.admin.disconnect();
	}

	/** Rooms with their partition counts and the records they hold (end minus start offsets). */
	async rooms(): Promise<RoomStats[]> {
		for (let attempt = 1; ; attempt++) {
			const rooms = await listRooms(this.admin);
			try {
				// A few at a time: each room is one more topic kafkajs locks and refreshes metadata for, and
				// hundreds at once time out waiting for that lock.
				return await mapLimit(rooms, 8, async r => {
					const ranges = await partitionRanges(this.admin, r.name, 2000);
					return {...r, messages: ranges.reduce((sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)), 0)};
				});
			} catch (error) {
				// kafkajs's admin asks for the metadata of every topic it was ever asked about, so once another
				// client deletes a room it counted, every later request fails. A new admin client forgets them.
				if (attempt >= 3) throw error;
				await this.admin.disconnect();
				this.admin = this.newAdmin();
				await this.admin.connect();
			}
		}
	}

	/** True when created, false when it already existed. */
	create(room: string, partitions: number): Promise<boolean> {
		return ensureRoom(this.admin, room, partitions);
	}

	async delete(room: string): Promise<void> {
		checkRoomName(room);
		if (!(await this.admin.listTopics()).includes(room)) throw new RoomMissingError(`no room named ${room}`);
		await this.admin.deleteTopics({topics: [room], timeout: 10_000});
	}
}

/** `Promise.all(items.map(work))` with at most `limit` pieces of work running, results in order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array<R>(items.length);
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < items.length) {
			const index = next++;
			results[index] = await work(items[index]!);
		}
	};
	await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
	return results;
}
