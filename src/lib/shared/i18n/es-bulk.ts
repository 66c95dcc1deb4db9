import type { Messages } from './en';

export const esBulk: Messages['bulk'] = {
	placeholder: 'Placeholder'
};
