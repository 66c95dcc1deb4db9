/**
 * `npm run restore -- <backup file> [--force]` (docs/backups.md)
 *
 * Restores a backup into the database the server would open (DATABASE_URL, else PGlite under
 * DATA_DIR), with the server stopped: PGlite's folder lock refuses while a server holds it, and on
 * PostgreSQL other open connections are refused unless --force. Prints one JSON line with what was
 * restored; messages go to stderr. Exit codes: 0 done, 1 refused or failed, 2 bad arguments.
 */
import process from 'node:process';
import { BackupError } from '../src/lib/server/backups/logical';
import {
	parseRestoreArgs,
	restoreBackup,
	RESTORE_USAGE,
	type RestoreCommand
} from '../src/lib/server/backups/restore';
import { env } from '../src/lib/server/env';

const say = (line: string) => process.stderr.write(`restore: ${line}\n`);

async function main(): Promise<number> {
	let command: RestoreCommand;
	try {
		command = parseRestoreArgs(process.argv.slice(2));
	} catch (error) {
		say(error instanceof Error ? error.message : String(error));
		process.stderr.write(`\n${RESTORE_USAGE}\n`);
		return 2;
	}
	if (command.help) {
		process.stdout.write(`${RESTORE_USAGE}\n`);
		return 0;
	}
	const config = env();
	const started = performance.now();
	try {
		const summary = await restoreBackup({
			file: command.file,
			databaseUrl: config.DATABASE_URL,
			dataDir: config.DATA_DIR,
			migrationsDir: config.MIGRATIONS_DIR,
			force: command.force,
			say
		});
		if (summary.previous) say(`the replaced database folder is kept in ${summary.previous}`);
		say('done: start the server (it applies any newer migrations at start)');
		process.stdout.write(
			`${JSON.stringify({ ...summary, elapsedMs: Math.round(performance.now() - started) })}\n`
		);
		return 0;
	} catch (error) {
		if (error instanceof BackupError) {
			say(error.message);
			return 1;
		}
		throw error;
	}
}

main().then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		say(`failed: ${error instanceof Error ? error.message : String(error)}`);
		process.exitCode = 1;
	}
);
