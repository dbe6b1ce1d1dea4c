import type {Admin} from 'kafkajs';
import {createKafka, tlsPreflight, type ClientOptions} from './kafka-client.js';
import {checkRoomName, ensureRoom, listRooms, partitionRanges} from './room-admin.js';

export type RoomStats = {name: string; partitions: number; messages: number};

export class RoomMissingError extends Error {}

/** Room administration for `kchat rooms`: no consumers, no presence, just an admin client. */
export class ClusterAdmin {
	private readonly admin: Admin;

	constructor(private readonly options: Omit<ClientOptions, 'clientId'>) {
		this.admin = createKafka({...options, clientId: 'kchat-admin'}).admin();
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
		const rooms = await listRooms(this.admin);
		return Promise.all(
			rooms.map(async r => {
				const ranges = await partitionRanges(this.admin, r.name);
				const messages = ranges.reduce((sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)), 0);
				return {...r, messages};
			}),
		);
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
