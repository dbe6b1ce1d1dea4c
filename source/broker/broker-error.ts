/** Why a broker operation failed; the CLI prints the message and exits 1. */
export type BrokerErrorCode =
	| 'invalid-option'
	| 'missing-prerequisite'
	| 'port-in-use'
	| 'busy'
	| 'resolve-failed'
	| 'format-failed'
	| 'start-failed'
	| 'stop-failed';

export class BrokerError extends Error {
	readonly code: BrokerErrorCode;

	constructor(code: BrokerErrorCode, message: string) {
		super(message);
		this.name = 'BrokerError';
		this.code = code;
	}
}
