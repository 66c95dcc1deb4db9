import { z } from 'zod';

/**
 * The only reader of process.env. Every setting is validated once; a bad value stops the server
 * with a message naming the variable, instead of failing later somewhere unrelated.
 */
const schema = z.object({
	NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
	PORT: z.coerce.number().int().min(1).max(65535).default(3000),
	HOST: z.string().default('0.0.0.0'),
	DATA_DIR: z.string().min(1).default('./data'),
	DATABASE_URL: z
		.string()
		.regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
		.optional(),
	MIGRATIONS_DIR: z.string().min(1).default('./drizzle'),
	/** Where backups are written (docs/backups.md); default `<DATA_DIR>/backups`. */
	BACKUP_DIR: z.string().min(1).optional(),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
	SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
	LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
	LOGIN_WINDOW_MINUTES: z.coerce
		.number()
		.int()
		.min(1)
		.max(24 * 60)
		.default(15),
	SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
	TRADINGVIEW_BASE_URL: z.url().default('https://www.tradingview.com'),
	TRADINGVIEW_SESSIONID: z.string().optional(),
	TRADINGVIEW_SESSIONID_SIGN: z.string().optional(),
	/** TradingView calls a minute for the grant sync queue (docs/tradingview-sync.md). */
	TRADINGVIEW_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(600).default(60),
	/** `off` keeps grant changes queued without working them (tests that need no TradingView). */
	TRADINGVIEW_SYNC: z.enum(['on', 'off']).default('on'),
	/** `off` starts no job scheduler (docs/jobs.md); "Run now" still works. */
	JOBS: z.enum(['on', 'off']).default('on'),
	/**
	 * `on` lets end-to-end tests move the server's clock (POST /api/test/clock). Never in
	 * production: anyone could then expire every grant.
	 */
	TEST_CLOCK: z.enum(['on', 'off']).default('off')
});

export type Env = z.infer<typeof schema>;

export class EnvError extends Error {
	override name = 'EnvError';
}

export function parseEnv(source: Record<string, string | undefined>): Env {
	// Empty strings are treated as unset so `DATABASE_URL=` in a shell falls back to PGlite.
	const cleaned = Object.fromEntries(
		Object.entries(source).filter(([, value]) => value !== undefined && value !== '')
	);
	const result = schema.safeParse(cleaned);
	if (!result.success) {
		const lines = result.error.issues.map((issue) => {
			const key = issue.path.join('.');
			return `  ${key}=${JSON.stringify(cleaned[key] ?? '')}: ${issue.message}`;
		});
		throw new EnvError(`Invalid configuration:\n${lines.join('\n')}`);
	}
	return result.data;
}

let cached: Env | undefined;

export function env(): Env {
	cached ??= parseEnv(process.env);
	return cached;
}
