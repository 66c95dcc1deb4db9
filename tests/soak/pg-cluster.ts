/**
 * A private PostgreSQL cluster for the soak: initdb into a temporary folder and a postmaster on a
 * free port, so that restarting it (a fault the soak injects) cannot disturb other tests using the
 * shared server on 5432. Run as the `postgres` OS user when this process is root (CI), because
 * PostgreSQL refuses to run as root.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface PgCluster {
	url: string;
	port: number;
	dir: string;
	restart(mode: 'fast' | 'immediate', downMs: number): Promise<void>;
	/** Stops the postmaster and removes the folder; safe to call twice. */
	destroy(): void;
}

function findBinDir(): string {
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root)
		? readdirSync(root)
				.filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	const [newest] = versions;
	if (!newest) {
		throw new Error(
			`the soak needs PostgreSQL server binaries (initdb, pg_ctl) under ${root}/<version>/bin: ` +
				'install the postgresql package'
		);
	}
	return path.join(root, newest, 'bin');
}

function postgresUid(): { uid: number; gid: number } | undefined {
	if (process.getuid?.() !== 0) return undefined;
	const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
	const uid = id('-u');
	const gid = id('-g');
	if (uid.status !== 0 || gid.status !== 0) {
		throw new Error(
			'running as root, the soak starts its PostgreSQL as the `postgres` OS user, which does not exist'
		);
	}
	return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export function startPgCluster(port: number): PgCluster {
	const bin = findBinDir();
	const owner = postgresUid();
	const dir = mkdtempSync(path.join(os.tmpdir(), 'pinegate-soak-pg-'));
	const data = path.join(dir, 'data');
	if (owner) chownSync(dir, owner.uid, owner.gid);
	chmodSync(dir, 0o700);

	const run = (tool: string, args: string[]) => {
		const command = owner ? 'runuser' : path.join(bin, tool);
		const argv = owner ? ['-u', 'postgres', '--', path.join(bin, tool), ...args] : args;
		const result = spawnSync(command, argv, { encoding: 'utf8', cwd: dir });
		if (result.status !== 0) {
			throw new Error(
				`${tool} ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n` +
					`${result.stdout}\n${result.stderr}`
			);
		}
	};
	const options = [
		`-p ${port}`,
		'-c listen_addresses=127.0.0.1',
		`-c unix_socket_directories=${dir}`,
		'-c max_connections=100',
		// The OS never crashes under the soak; only the postmaster is stopped (also `immediate`, a
		// crash restart with WAL replay), which fsync does not change.
		'-c fsync=off',
		'-c full_page_writes=off'
	].join(' ');
	const start = () =>
		run('pg_ctl', ['-D', data, '-l', path.join(dir, 'postgres.log'), '-o', options, '-w', 'start']);
	const stop = (mode: 'fast' | 'immediate') =>
		run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);

	try {
		run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
		start();
	} catch (error) {
		rmSync(dir, { recursive: true, force: true });
		const reason = error instanceof Error ? error.message : String(error);
		throw new Error(`the soak could not create its private PostgreSQL cluster: ${reason}`);
	}

	let destroyed = false;
	return {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		port,
		dir,
		async restart(mode, downMs) {
			stop(mode);
			await new Promise((resolve) => setTimeout(resolve, downMs));
			start();
		},
		destroy() {
			if (destroyed) return;
			destroyed = true;
			try {
				stop('immediate');
			} catch {
				// Already stopped (or never started): the folder still goes.
			}
			rmSync(dir, { recursive: true, force: true });
		}
	};
}
