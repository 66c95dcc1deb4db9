/** English messages of the grants pages (a namespace of `en`, kept apart so features edit their own file). */
export const enGrants = {
	placeholder: 'Placeholder'
};
