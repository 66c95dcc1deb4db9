import type { Mutator } from '../sync/mutator';
import { accessGrant, accessRenew, accessResolveConflict, accessRevoke } from './accesses';
import { clientCreate, clientDelete, clientUpdate } from './clients';
import { indicatorCreate, indicatorRelease, indicatorUpdate } from './indicators';
import { notificationMarkRead } from './notifications';

/** Every mutator by name. Names are append-only (SYNC.md): a changed argument shape gets a new name. */
export const mutators = {
	[clientCreate.name]: clientCreate,
	[clientUpdate.name]: clientUpdate,
	[clientDelete.name]: clientDelete,
	[indicatorCreate.name]: indicatorCreate,
	[indicatorUpdate.name]: indicatorUpdate,
	[indicatorRelease.name]: indicatorRelease,
	[accessGrant.name]: accessGrant,
	[accessRenew.name]: accessRenew,
	[accessRevoke.name]: accessRevoke,
	[accessResolveConflict.name]: accessResolveConflict,
	[notificationMarkRead.name]: notificationMarkRead
} as Record<string, Mutator<unknown>>;

export {
	accessGrant,
	accessRenew,
	accessResolveConflict,
	accessRevoke,
	clientCreate,
	clientDelete,
	clientUpdate,
	indicatorCreate,
	indicatorRelease,
	indicatorUpdate,
	notificationMarkRead
};
