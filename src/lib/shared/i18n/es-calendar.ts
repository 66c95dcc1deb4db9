import type { Messages } from './en';

export const esCalendar: Messages['calendar'] = {
	placeholder: 'Placeholder'
};
