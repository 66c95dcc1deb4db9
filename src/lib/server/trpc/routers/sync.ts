import { pullRequest, pushRequest, snapshotRequest } from '$lib/shared/sync/protocol';
import { pokeHub } from '../../sync/pokes';
import { pullWire } from '../../sync/pull';
import { push } from '../../sync/push';
import { snapshotWire } from '../../sync/snapshot';
import { kickTradingViewChecks } from '../../tradingview/service';
import { procedure, router } from '../init';
import { AppError } from '$lib/shared/errors';
import type { Context } from '../context';

function userOf(ctx: Context) {
	if (!ctx.session) throw new AppError('UNAUTHENTICATED');
	return ctx.session.user;
}

// Viewing is everyone's right; what each pushed mutation may do is checked per mutator.
export const syncRouter = router({
	push: procedure('records.view')
		.input(pushRequest)
		.mutation(({ ctx, input }) =>
			push(ctx.db, userOf(ctx), input, () => {
				pokeHub().poke();
				kickTradingViewChecks(ctx.db);
			})
		),

	pull: procedure('records.view')
		.input(pullRequest)
		// Rows travel as one JSON text built by the database (see PullWireResponse).
		.query(({ ctx, input }) => pullWire(ctx.db, userOf(ctx), input)),

	snapshot: procedure('records.view')
		.input(snapshotRequest)
		// A first sync's pieces (docs/decisions.md §24), as one JSON text like a pull page.
		.query(({ ctx, input }) => snapshotWire(ctx.db, userOf(ctx), input)),

	pokes: procedure('records.view').subscription(async function* ({ signal }) {
		yield 0; // an immediate first message: the device pulls once the stream is open
		yield* pokeHub().stream(signal);
	})
});
