// kafkajs drops a consumer's group between a crash and its restart; what to do with seeks meanwhile.
/**
 * Runs a seek, pause or resume on a consumer, unless kafkajs is between a crash and its restart
 * (it drops its group then, and these throw "consumer#run must be called first"; a loaded broker makes
 * that window common). Nothing is lost: callers keep the positions and open rooms, and their afterJoin
 * applies them when the restarted consumer joins. False when it was skipped.
 */
export function unlessRestarting(work: () => void): boolean {
	try {
		work();
		return true;
	} catch (error) {
		if (/consumer#run must be called first/.test((error as Error).message)) return false;
		throw error;
	}
}
