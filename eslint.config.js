import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Zone boundaries (DESIGN.md §2): shared imports neither side; client never imports server code. */
const serverPaths = ['$lib/server', '$lib/server/*', '**/lib/server/*', '**/server/*'];
const clientPaths = ['$lib/client', '$lib/client/*', '$client/*', '**/lib/client/*', '**/client/*'];

export default ts.config(
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'node_modules/',
			'coverage/',
			'data/',
			'test-results/',
			'playwright-report/',
			'drizzle/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommendedTypeChecked,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: {
			globals: { ...globals.browser, ...globals.node },
			parserOptions: {
				projectService: true,
				tsconfigRootDir: import.meta.dirname,
				extraFileExtensions: ['.svelte']
			}
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
			],
			'no-undef': 'off'
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: { parser: ts.parser, svelteConfig }
		}
	},
	{
		files: ['**/*.js'],
		...ts.configs.disableTypeChecked
	},
	{
		// Components are linted without type information: typed linting updates the TypeScript
		// program once per component (eslint-plugin-svelte#1084), which made `eslint .` cost 219
		// CPU seconds, half of it for the 120 components, and CI must stay under 15 minutes on two
		// cores (docs/testing.md). svelte-check still type-checks them; their logic lives in typed
		// .ts and .svelte.ts modules, which keep every typed rule.
		files: ['**/*.svelte'],
		...ts.configs.disableTypeChecked
	},
	{
		files: ['src/lib/shared/**'],
		// Tests drive both sides for real (a device against the server), so they may cross zones.
		ignores: ['**/*.test.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: [...serverPaths, ...clientPaths],
							message: 'src/lib/shared is isomorphic: it may not import client or server code.'
						}
					]
				}
			]
		}
	},
	{
		files: [
			'src/lib/client/**',
			'src/lib/components/**',
			'src/routes/**/*.svelte',
			'src/routes/**/+page.ts',
			'src/routes/**/+layout.ts'
		],
		ignores: ['**/*.test.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: serverPaths,
							allowTypeImports: true,
							message:
								'Client code may only import the server router as a type (import type { AppRouter }).'
						}
					]
				}
			]
		}
	}
);
