import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		reporters: ['default', './test/support/summary-reporter.ts'],
		testTimeout: 60_000,
		hookTimeout: 120_000,
		projects: [
			{
				extends: true,
				test: {
					name: 'main',
					include: ['test/**/*.test.{ts,tsx}'],
					exclude: ['test/cluster/**'],
					globalSetup: ['test/support/global-setup.ts'],
					// Kafka integration tests share one broker; files run in parallel on two cores.
					fileParallelism: true,
					maxWorkers: 2,
				},
			},
			{
				extends: true,
				test: {
					name: 'cluster',
					include: ['test/cluster/**/*.test.ts'],
					// One three-node cluster for these files, started by the first of them (test/support/cluster.ts)
					// and stopped at the end; the files kill and restart its nodes, so one at a time, and after
					// the other tests (groupOrder), so that they and three more JVMs do not share two cores.
					globalSetup: ['test/support/cluster-setup.ts'],
					fileParallelism: false,
					maxWorkers: 1,
					sequence: {groupOrder: 1},
					testTimeout: 240_000,
					hookTimeout: 240_000,
				},
			},
		],
	},
});
