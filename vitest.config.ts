import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		reporters: ['default', './test/support/summary-reporter.ts'],
		globalSetup: ['test/support/global-setup.ts'],
		testTimeout: 60_000,
		hookTimeout: 120_000,
		// Kafka integration tests share one broker; files run in parallel on two cores.
		fileParallelism: true,
		maxWorkers: 2,
	},
});
