import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/** A database made for one test, suite or benchmark on a PostgreSQL server. */
export interface ThrowawayDatabase {
	name: string;
	/** The server's URL with this database's name. */
	url: string;
	/** Drops it, closing by force any connection still open on it. */
	drop(): Promise<void>;
}

/**
 * Runs `statement`, again while PostgreSQL answers that a database it names is in use (55006): a
 * template's last connection ends a moment after its client closed it, and `create database …
 * template` and `alter database … rename` refuse while one remains.
 */
export async function whileInUse<T>(statement: () => Promise<T>, tries = 50): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await statement();
		} catch (error) {
			if ((error as { code?: unknown }).code !== '55006' || attempt >= tries) throw error;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}
}

/**
 * Creates a database with a random name on the server of `serverUrl` (whose own database is only
 * used to create and drop it), empty or a copy of `template`.
 */
export async function throwawayPostgres(
	serverUrl: string,
	options: { prefix?: string; template?: string } = {}
): Promise<ThrowawayDatabase> {
	const name = `${options.prefix ?? 'pinegate_test'}_${randomBytes(6).toString('hex')}`;
	const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
	try {
		await whileInUse(() =>
			admin.unsafe(
				options.template
					? `create database ${name} template ${options.template}`
					: `create database ${name}`
			)
		);
	} catch (error) {
		await admin.end({ timeout: 5 });
		throw error;
	}
	const url = new URL(serverUrl);
	url.pathname = `/${name}`;
	return {
		name,
		url: url.toString(),
		drop: async () => {
			try {
				await admin.unsafe(`drop database if exists ${name} with (force)`);
			} finally {
				await admin.end({ timeout: 5 });
			}
		}
	};
}
