/** English messages of the calendar pages (a namespace of `en`, kept apart so features edit their own file). */
export const enCalendar = {
	placeholder: 'Placeholder'
};
