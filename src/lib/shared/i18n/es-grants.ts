import type { Messages } from './en';

export const esGrants: Messages['grants'] = {
	placeholder: 'Placeholder'
};
