/** English messages of the bulk pages (a namespace of `en`, kept apart so features edit their own file). */
export const enBulk = {
	placeholder: 'Placeholder'
};
