import {GatewayEngine, type LinkState} from '../kafka/gateway-engine.js';
import type {SecuritySettings} from '../kafka/kafka-client.js';
import type {Logger} from '../kafka/log-file.js';
import {Gateway, type GatewayOptions} from './gateway.js';
import {startHttpServer, type PageAssets} from './http-server.js';

export type ServeOptions = SecuritySettings &
	Omit<GatewayOptions, 'logger'> & {
		brokers: string[];
		logger: Logger;
		verbose?: boolean;
		host: string;
		port: number;
		token?: string;
		page: PageAssets;
		/** Kafka's state as it changes (the command says it on stderr). */
		onHealth?: (state: LinkState, reason?: string) => void;
	};

export type Serving = {url: string; port: number; stop(): Promise<void>};

/** The gateway on Kafka and the HTTP server in front of it: what `kchat serve` runs. */
export async function startServe(options: ServeOptions): Promise<Serving> {
	const {logger} = options;
	const gateway = new Gateway(events => {
		const engine = new GatewayEngine({
			...options,
			events: {
				...events,
				health: (state, reason) => {
					events.health(state, reason);
					options.onHealth?.(state, reason);
				},
			},
		});
		return engine;
	}, options);
	const server = await startHttpServer({host: options.host, port: options.port, ...(options.token !== undefined ? {token: options.token} : {}), page: options.page, gateway, logger});
	gateway.start();
	let stopping: Promise<void> | undefined;
	return {
		url: server.url,
		port: server.port,
		stop: () =>
			(stopping ??= (async () => {
				await gateway.stop();
				await server.close();
			})()),
	};
}
