// A consumer's first fetch after it joins its group asks the coordinator for the group's committed offsets
// (OffsetFetch) and, as kchat's groups commit nothing, the partitions' latest offsets (ListOffsets): two
// round trips, in which kafkajs learns where to read from when it has not been told. kchat always tells it:
// every consumer commits nothing (autoCommit off) and seeks each partition it opens to the position it
// keeps (RoomConsumers, QuickReader). kafkajs keeps a sought offset apart from the "committed" one it needs
// before it fetches a partition, so it made the two requests anyway, then read from the sought offset.
// Here a seek of a consumer that commits nothing also stands for the committed offset: that partition is
// fetched at once (on the way to `kchat tail`'s first line, and to each join after a rejoin). Partitions
// not sought (paused rooms) are looked up as before; so is one whose sought offset turns out out of range
// (kafkajs clears both and starts again from its default).
// Imported by room-consumers.ts, before any consumer is made.
import OffsetManager from 'kafkajs/src/consumer/offsetManager/index.js';

const {seek} = OffsetManager.prototype;

OffsetManager.prototype.seek = async function (this: OffsetManager, entry: {topic: string; partition: number; offset: string}): Promise<void> {
	await seek.call(this, entry);
	// Offsets below zero (kafkajs's "latest"/"earliest") are no position: kafkajs looks those up itself.
	if (this.autoCommit || !this.memberAssignment[entry.topic]?.includes(entry.partition) || !/^\d+$/.test(entry.offset)) return;
	this.committedOffsets()[entry.topic]![entry.partition] = entry.offset;
};
