import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ignores: ['dist/**', 'node_modules/**', 'coverage/**']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		languageOptions: {
			globals: {process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', URL: 'readonly', performance: 'readonly'},
		},
		rules: {
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
			'no-control-regex': 'off',
		},
	},
	{
		// The launcher speaks no Kafka protocol: what it needs (the readiness probe) is handed in by the command.
		files: ['source/broker/**'],
		rules: {'no-restricted-imports': ['error', {patterns: [{group: ['**/kafka/*', 'kafkajs'], message: 'source/broker never imports kafka: take what you need as a parameter'}]}]},
	},
	{
		// The browser page: the DOM's globals, and nothing that only runs in Node or talks to Kafka.
		files: ['source/web/**'],
		languageOptions: {
			globals: {window: 'readonly', document: 'readonly', location: 'readonly', history: 'readonly', localStorage: 'readonly', sessionStorage: 'readonly', WebSocket: 'readonly', fetch: 'readonly', crypto: 'readonly', btoa: 'readonly', TextEncoder: 'readonly', Storage: 'readonly', HTMLDivElement: 'readonly', HTMLTextAreaElement: 'readonly'},
		},
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{group: ['node:*', 'kafkajs', 'ws', 'ink', 'ink-*'], message: 'the page runs in a browser: no Node modules, no Kafka client'},
						{group: ['**/kafka/*', '**/serve/*', '**/commands/*', '**/bench/*', '**/broker/*', '**/config/*', '**/ui/*'], message: 'the page may use source/chat and source/store only (it reaches Kafka through the gateway)'},
					],
				},
			],
		},
	},
	{
		// The gateway reaches Kafka through the engine (source/kafka), never kafkajs itself, and renders nothing.
		files: ['source/serve/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{group: ['kafkajs', 'react', 'react-dom', 'ink'], message: 'source/serve talks to Kafka through source/kafka/gateway-engine.ts and renders nothing'},
						{group: ['**/commands/*', '**/ui/*', '**/web/*', '**/bench/*'], message: 'a lower folder never imports a higher one'},
					],
				},
			],
		},
	},
);
