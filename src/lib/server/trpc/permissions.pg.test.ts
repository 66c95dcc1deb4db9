import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mutators } from '$lib/shared/mutators';
import {
	can,
	permissions,
	roles,
	satisfies,
	type Requirement,
	type Role
} from '$lib/shared/permissions';
import {
	createTestDatabase,
	describeEachDatabase,
	type TestDatabase
} from '../../../../tests/helpers/db';
import { envelope, makeUser, pushOne } from '../../../../tests/helpers/sync';
import { callerFor, errorCodeOf, insertUser, sessionFor } from '../../../../tests/helpers/trpc';
import { appRouter } from './router';

const knownRequirements = new Set<Requirement>(['public', 'authenticated', ...permissions]);

interface ProcedureLike {
	_def: { type: 'query' | 'mutation' | 'subscription'; meta?: { requirement?: Requirement } };
}

const procedures = Object.entries(
	appRouter._def.procedures as unknown as Record<string, ProcedureLike>
);

function call(caller: unknown, path: string): Promise<unknown> {
	let target: unknown = caller;
	for (const part of path.split('.')) target = (target as Record<string, unknown>)[part];
	// Deliberately no input: a caller that passes the permission check then fails validation
	// (or succeeds for input-less procedures); one that does not gets the permission error first.
	return (target as (input?: unknown) => Promise<unknown>)(undefined);
}

describeEachDatabase('every tRPC procedure × every role follows the permission table', (kind) => {
	let database: TestDatabase;
	const users = new Map<Role, string>();

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		for (const role of roles) users.set(role, (await insertUser(database.db, role)).id);
	});
	afterAll(async () => {
		await database.dispose();
	});

	it('has procedures to check', () => {
		expect(procedures.length).toBeGreaterThan(5);
	});

	it.each(procedures.map(([path, procedure]) => [path, procedure] as const))(
		'%s declares a known requirement',
		(_path, procedure) => {
			const requirement = procedure._def.meta?.requirement;
			expect(
				requirement,
				'every procedure must be built with procedure(requirement)'
			).toBeDefined();
			expect(knownRequirements.has(requirement as Requirement)).toBe(true);
		}
	);

	for (const [path, procedure] of procedures) {
		const requirement = procedure._def.meta?.requirement ?? ('missing' as Requirement);
		for (const who of ['anonymous', ...roles] as const) {
			const role = who === 'anonymous' ? null : who;
			const allowed = satisfies(role, requirement);
			it(`${path} as ${who} is ${allowed ? 'allowed' : 'refused'}`, async () => {
				const session = role ? await sessionFor(database.db, users.get(role) ?? '') : null;
				const { caller } = callerFor(database.db, session);
				const code = await errorCodeOf(call(caller, path));
				if (allowed) {
					expect(['UNAUTHENTICATED', 'FORBIDDEN', 'INTERNAL']).not.toContain(code);
				} else {
					expect(code).toBe(role ? 'FORBIDDEN' : 'UNAUTHENTICATED');
				}
			});
		}
	}
});

describeEachDatabase(
	'every mutator pushed through sync × every role follows the permission table',
	(kind) => {
		let database: TestDatabase;

		beforeAll(async () => {
			database = await createTestDatabase(kind);
		});
		afterAll(async () => {
			await database.dispose();
		});

		for (const [name, mutator] of Object.entries(mutators)) {
			for (const role of roles) {
				const allowed = can(role, mutator.permission);
				it(`${name} as ${role} is ${allowed ? 'allowed' : 'refused'}`, async () => {
					const user = await makeUser(database.db, role);
					// Empty arguments, as above: allowed gets as far as validation, refused stops before.
					const answer = await pushOne(database.db, user, uuidv7(), [envelope(1, name, {})]);
					expect(answer.status).toBe('ok');
					const [result] = answer.status === 'ok' ? answer.results : [];
					expect(result?.outcome).toBe('rejected');
					if (allowed) expect(result?.code).toBe('VALIDATION');
					else expect(result?.code).toBe('FORBIDDEN');
				});
			}
		}
	}
);
