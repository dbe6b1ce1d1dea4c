import {randomBytes} from 'node:crypto';

/**
 * A KRaft cluster id: 16 random bytes in unpadded base64url (22 characters), as Kafka's
 * `Uuid.randomUuid()` makes them; never starting with '-', which a command line would take for an option.
 */
export function newClusterId(): string {
	for (;;) {
		const id = randomBytes(16).toString('base64url');
		if (!id.startsWith('-') && !/^A{21}[AQgw]$/.test(id)) return id; // not the zero uuid either
	}
}

export const isClusterId = (id: string): boolean => /^[A-Za-z0-9_-]{22}$/.test(id);
