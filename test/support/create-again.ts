import type {Admin} from 'kafkajs';

/**
 * Creates a deleted room's topic again as `kchat rooms create` does. The broker may still be applying the
 * deletion (the topic is listed, a create is refused): there is no event for that, so it is tried again.
 */
export async function createAgain(admin: Admin, room: string, partitions: number): Promise<void> {
	for (let attempt = 1; ; attempt++) {
		const created = await admin
			.createTopics({waitForLeaders: true, topics: [{topic: room, numPartitions: partitions, configEntries: [{name: 'message.timestamp.type', value: 'LogAppendTime'}]}]})
			.catch(() => false);
		if (created) return;
		if (attempt === 50) throw new Error(`could not create ${room} again`);
		await new Promise(resolve => setTimeout(resolve, 100));
	}
}
