/**
 * `npm run test:upgrade [-- --ref <commit>]` — the previous release's server on the new schema.
 *
 * "Previous release" is, unless `--ref` names one, the commit before the newest migration in
 * drizzle/ was added (git log on drizzle/): the newest code that does not know that migration.
 * The script extracts it with `git archive` into a temporary folder (node_modules linked from this
 * tree), builds it and the current tree, creates a fresh PostgreSQL database, migrates it with the
 * CURRENT code, then starts the OLD build on it next to a current instance, as in the middle of a
 * rolling upgrade, and drives a smoke over HTTP against the old one: first-run setup and login,
 * pushes (indicator, client, grant), pulls, pages, the grant reaching the fake TradingView through
 * the old release's worker, and mutations crossing between the old and the new instance.
 *
 * Needs git history and PostgreSQL at TEST_DATABASE_URL. About 15–30 s here (the previous
 * release's build; the current one is reused). Exit code 0 when every check passed, 1 otherwise.
 * `npm test` runs it in its side lane when the checkout has full history (scripts/test-lanes.js).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../src/lib/server/db/client';
import { decodePullResponse } from '../../src/lib/shared/sync/protocol';
import { seedDemo } from '../fake-tradingview/state';
import { startFakeTradingView } from '../fake-tradingview/server';
import { login, pull, push, setupAdmin, type Envelope } from './api';
import { createDatabase, ROOT, startServer, stopServer, tail, type ServerProcess } from './servers';
import { uuidv7 } from 'uuidv7';

/** "Volume Pulse" and a user without a grant, in the fake's demo data. */
const PINE = 'PUB;0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e';
const TV_USER = 'DaveScalps';

const log = (line: string) => process.stdout.write(`upgrade: ${line}\n`);
const git = (...args: string[]) =>
	execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();

function previousRelease(ref: string | undefined): { ref: string; why: string } {
	if (ref) return { ref: git('rev-parse', '--verify', `${ref}^{commit}`), why: `--ref ${ref}` };
	const added = git('log', '-1', '--format=%H', '--diff-filter=A', '--', 'drizzle/*.sql');
	const newest = git('log', '-1', '--format=%h %s', added).slice(0, 100);
	return { ref: git('rev-parse', `${added}^`), why: `the parent of ${newest}` };
}

function build(root: string, label: string): void {
	log(`building ${label} …`);
	const result = spawnSync(process.execPath, [path.join(root, 'scripts/build-if-needed.js')], {
		cwd: root,
		stdio: ['ignore', 'ignore', 'inherit'],
		env: { ...process.env, NODE_ENV: 'production' }
	});
	if (result.status !== 0) throw new Error(`building ${label} failed`);
}

const migrationCount = (root: string) =>
	readdirSync(path.join(root, 'drizzle')).filter((f) => f.endsWith('.sql')).length;

interface Check {
	name: string;
	ok: boolean;
	detail?: string;
}

async function main(): Promise<Check[]> {
	const { values } = parseArgs({ options: { ref: { type: 'string' } } });
	const previous = previousRelease(values.ref);
	log(`previous release: ${previous.ref.slice(0, 12)} (${previous.why})`);

	const checks: Check[] = [];
	const check = (name: string, ok: boolean, detail?: string) => {
		checks.push({ name, ok, detail });
		log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
	};
	const cleanup: Array<() => Promise<unknown> | void> = [];
	const servers: ServerProcess[] = [];
	try {
		const oldRoot = mkdtempSync(path.join(os.tmpdir(), 'pinegate-previous-'));
		cleanup.push(() => rmSync(oldRoot, { recursive: true, force: true }));
		execFileSync('sh', ['-c', `git archive ${previous.ref} | tar -x -C '${oldRoot}'`], {
			cwd: ROOT
		});
		symlinkSync(path.join(ROOT, 'node_modules'), path.join(oldRoot, 'node_modules'), 'dir');
		build(oldRoot, `the previous release in ${oldRoot}`);
		build(ROOT, 'the current tree');
		if (!existsSync(path.join(oldRoot, 'build/handler.js')))
			throw new Error('no build of the previous release');

		const db = await createDatabase('pinegate_upgrade');
		cleanup.push(() => db.drop());
		const migrated = await openDatabase({
			databaseUrl: db.url,
			migrationsDir: path.join(ROOT, 'drizzle')
		});
		await migrated.close();
		const [applied] = await db.sql<Array<{ count: number }>>`
			select count(*)::int as count from drizzle.__drizzle_migrations`;
		const known = migrationCount(oldRoot);
		check(
			'the database is ahead of the previous release',
			(applied?.count ?? 0) > known,
			`${applied?.count} migrations applied by the current code, the previous release knows ${known}`
		);

		const fake = await startFakeTradingView({ seed: seedDemo });
		cleanup.push(() => fake.close());
		const env = {
			DATABASE_URL: db.url,
			SECRET_KEY: 'upgrade test key, at least 32 characters',
			TRADINGVIEW_BASE_URL: fake.url,
			TRADINGVIEW_SESSIONID: fake.state.session.sessionid,
			TRADINGVIEW_SESSIONID_SIGN: fake.state.session.sessionidSign,
			LOG_LEVEL: 'info'
		};
		const old = await startServer({ name: 'previous', root: oldRoot, env });
		servers.push(old);
		check('the previous release starts on the new schema (its migrator finds nothing to do)', true);
		// The current instance leaves TradingView to the old one, so the grant below can only reach
		// TradingView through the previous release's worker.
		const current = await startServer({
			name: 'current',
			env: { ...env, TRADINGVIEW_SYNC: 'off' }
		});
		servers.push(current);

		const setupCookie = await setupAdmin(old.url);
		check('first-run setup on the previous release', setupCookie.length > 0);
		const cookie = await login(old.url);
		check('login on the previous release', cookie.length > 0);

		const device = uuidv7();
		const indicatorId = uuidv7();
		const clientId = uuidv7();
		const accessId = uuidv7();
		const mutations: Envelope[] = [
			{
				name: 'indicator.create',
				args: { id: indicatorId, fields: { name: 'Volume Pulse', pubId: PINE } }
			},
			{
				name: 'client.create',
				args: { id: clientId, fields: { tradingviewUsername: TV_USER, fullName: 'Dave' } }
			},
			{
				name: 'access.grant',
				args: {
					clientId,
					items: [{ indicatorId, accessId, eventId: uuidv7() }],
					duration: { kind: 'preset', preset: '7d' },
					accessType: 'paid',
					note: null
				}
			}
		];
		const pushed = await push(old.url, cookie, device, 1, mutations);
		check(
			'push to the previous release applies every mutation',
			pushed.status === 'ok' && pushed.results.every((r) => r.outcome === 'applied'),
			JSON.stringify(pushed).slice(0, 200)
		);

		const page = decodePullResponse(await pull(old.url, cookie, device, 0));
		const ids = (rows: Array<{ id: string }> | undefined) => new Set((rows ?? []).map((r) => r.id));
		check(
			'pull from the previous release returns the pushed rows',
			page.status === 'ok' &&
				ids(page.rows.clients).has(clientId) &&
				ids(page.rows.indicators).has(indicatorId) &&
				ids(page.rows.accesses).has(accessId) &&
				page.lastMutationId === 3,
			page.status === 'ok'
				? `cursor ${page.cursor}, last mutation ${page.lastMutationId}`
				: page.status
		);

		for (const route of [
			'/',
			'/login',
			'/clients',
			`/clients/${clientId}`,
			'/accesses',
			'/healthz'
		]) {
			const response = await fetch(`${old.url}${route}`, { headers: { cookie } });
			const body = await response.text();
			check(
				`GET ${route} on the previous release`,
				response.status === 200 && body.length > 0,
				`HTTP ${response.status}`
			);
		}

		// Mixed versions: the session, the device and its rows are shared through the database.
		const fromNew = await push(current.url, cookie, device, 4, [
			{
				name: 'client.update',
				args: { id: clientId, base: null, patch: { fullName: 'Dave (renamed on the new release)' } }
			}
		]);
		check(
			'the same device pushes its next mutation to the current release',
			fromNew.status === 'ok' && fromNew.results[0]?.outcome === 'applied',
			JSON.stringify(fromNew).slice(0, 200)
		);
		const back = decodePullResponse(
			await pull(old.url, cookie, device, page.status === 'ok' ? page.cursor : 0)
		);
		check(
			'the previous release serves the change made through the current one',
			back.status === 'ok' &&
				back.lastMutationId === 4 &&
				(back.rows.clients ?? []).some(
					(c) => c.id === clientId && c.fullName === 'Dave (renamed on the new release)'
				)
		);
		const onNew = decodePullResponse(await pull(current.url, cookie, uuidv7(), 0));
		check(
			'the current release serves the rows written by the previous one',
			onNew.status === 'ok' && ids(onNew.rows.accesses).has(accessId)
		);

		const deadline = Date.now() + 60_000;
		while (!fake.state.grantOf(PINE, TV_USER) && Date.now() < deadline)
			await new Promise((r) => setTimeout(r, 250));
		check(
			"the previous release's worker grants the access on TradingView",
			Boolean(fake.state.grantOf(PINE, TV_USER))
		);
		const [state] = await db.sql<
			Array<{ tv_state: string }>
		>`select tv_state from accesses where id = ${accessId}`;
		const verifyBy = Date.now() + 30_000;
		let tvState = state?.tv_state;
		while (tvState !== 'verified' && Date.now() < verifyBy) {
			await new Promise((r) => setTimeout(r, 250));
			[{ tv_state: tvState } = { tv_state: undefined }] = await db.sql<
				Array<{ tv_state: string }>
			>`select tv_state from accesses where id = ${accessId}`;
		}
		check('…and records it verified', tvState === 'verified', `tv_state ${tvState}`);

		for (const server of servers.splice(0)) {
			const code = await stopServer(server);
			check(`${server.name} stops cleanly on SIGTERM`, code === 0, `exit ${code}`);
			const errors = server.logs.filter((line) => /"level":(50|60)/.test(line));
			check(`${server.name} logged no errors`, errors.length === 0, errors.slice(0, 3).join('\n'));
		}
		return checks;
	} catch (error) {
		for (const s of servers) log(`${s.name} logs:\n${tail(s)}`);
		throw error;
	} finally {
		for (const s of servers) await stopServer(s).catch(() => {});
		for (const step of cleanup.reverse())
			await Promise.resolve(step()).catch((e: unknown) => log(`cleanup: ${String(e)}`));
	}
}

main().then(
	(checks) => {
		const failed = checks.filter((c) => !c.ok);
		log(`${checks.length - failed.length}/${checks.length} checks passed`);
		process.exitCode = failed.length === 0 ? 0 : 1;
	},
	(error: unknown) => {
		process.stderr.write(
			`upgrade: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
		);
		process.exitCode = 1;
	}
);
