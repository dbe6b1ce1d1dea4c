import type {Admin} from 'kafkajs';

/**
 * The consumer groups on the broker whose id starts with `prefix`. Nothing in kchat uses groups, so on a
 * broker just started the group coordinator may still be loading when a test asks: that is retried.
 */
export async function groupIds(admin: Admin, prefix: string, timeoutMs = 30_000): Promise<string[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			const {groups} = await admin.listGroups();
			return groups.map(g => g.groupId).filter(id => id.startsWith(prefix));
		} catch (error) {
			if ((error as {type?: string}).type !== 'COORDINATOR_LOAD_IN_PROGRESS' || Date.now() > deadline) throw error;
			await new Promise(resolve => setTimeout(resolve, 100));
		}
	}
}
