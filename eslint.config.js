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
);
