import { z } from 'zod';
import { roles } from '../permissions';

// Messages are i18n keys; the UI translates them (see src/lib/shared/i18n).
export const emailSchema = z
	.string()
	.trim()
	.toLowerCase()
	.max(254, { error: 'validation.emailTooLong' })
	.pipe(z.email({ error: 'validation.emailInvalid' }));

export const passwordSchema = z
	.string()
	.min(10, { error: 'validation.passwordTooShort' })
	.max(256, { error: 'validation.passwordTooLong' });

export const personNameSchema = z
	.string()
	.trim()
	.min(1, { error: 'validation.required' })
	.max(120, { error: 'validation.nameTooLong' });

export const roleSchema = z.enum(roles, { error: 'validation.roleInvalid' });

export const setupInput = z.object({
	name: personNameSchema,
	email: emailSchema,
	password: passwordSchema
});
export type SetupInput = z.infer<typeof setupInput>;

export const loginInput = z.object({
	email: emailSchema,
	// Any non-empty password is accepted for the attempt: policy applies when it is set, not here.
	password: z.string().min(1, { error: 'validation.required' }).max(256)
});
export type LoginInput = z.infer<typeof loginInput>;

export const createUserInput = setupInput.extend({ role: roleSchema });
export type CreateUserInput = z.infer<typeof createUserInput>;

export const idInput = z.object({ id: z.uuid({ error: 'validation.idInvalid' }) });

export const setRoleInput = idInput.extend({ role: roleSchema });

export const userSchema = z.object({
	id: z.uuid(),
	email: z.string(),
	name: z.string(),
	role: roleSchema,
	disabledAt: z.date().nullable(),
	createdAt: z.date()
});
export type User = z.infer<typeof userSchema>;

/** What the client knows about the signed-in user. */
export type SessionUser = Pick<User, 'id' | 'email' | 'name' | 'role'>;
