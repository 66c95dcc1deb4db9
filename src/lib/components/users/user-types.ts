import type { trpc } from '$lib/client/trpc';

/** A row of the users list, as the server sends it. */
export type UserRow = Awaited<ReturnType<typeof trpc.users.list.query>>[number];
