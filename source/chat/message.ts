/** The kinds of record kchat writes (header `kchat-type`). All but message and action are system lines. */
export type MessageType = 'message' | 'action' | 'join' | 'leave' | 'nick' | 'quit';

/** What a line in a room can be: a record's type, or a local notice (command output, errors) that never goes to Kafka. */
export type LineType = MessageType | 'notice';

/** Where one of our own messages is on its way to the broker. Foreign and received messages are 'delivered'. */
export type DeliveryState = 'pending' | 'delivered' | 'failed';

/**
 * One chat line as the store and UI see it. Every string in here is already sanitised
 * (safe to print to a terminal): decoding a record is the only way in for untrusted text.
 */
export type ChatMessage = {
	/** `kchat-id` header, or `room/partition/offset` for records without one. */
	id: string;
	room: string;
	/** Sender nick, sanitised; `?` when the record carries none that is text. */
	user: string;
	type: LineType;
	/** Message text, sanitised; may hold newlines. */
	text: string;
	/** Broker timestamp in ms (LogAppendTime); the local send time while pending. */
	timestamp: number;
	/** -1 while pending. */
	partition: number;
	/** Kafka offset as a decimal string (kafkajs keeps int64 offsets as strings); '-1' while pending. */
	offset: string;
	/** `kchat-sent-at` header, when present. */
	sentAt?: number;
	state: DeliveryState;
	/** Why delivery failed, when state is 'failed'. */
	error?: string;
	/**
	 * True for records kchat did not write as they are: no kchat headers (kcat, the Python scripts, any
	 * other producer), or headers that disagree with the key. Shown marked: the nick is not vouched for.
	 */
	foreign: boolean;
	/**
	 * Set on a record that reuses the `kchat-id` of an earlier one with other content (a forgery): the
	 * id it reused. Such a line has an id of its own (see same-id.ts) and is shown apart, marked.
	 */
	duplicateOf?: string;
	/** From a topic of this room's name that has been deleted since: its partition and offset belong to that topic. */
	retired?: boolean;
};

/** The raw shape of a Kafka record that the codec reads: what kafkajs hands to eachMessage/eachBatch. */
export type RawRecord = {
	topic: string;
	partition: number;
	offset: string;
	timestamp: string | number;
	key: Buffer | null;
	value: Buffer | null;
	headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
};

/** What the codec produces for the producer: value is plain UTF-8 text as the original Python producer sends it. */
export type OutgoingRecord = {
	key: string;
	value: string;
	headers: Record<string, string>;
};
