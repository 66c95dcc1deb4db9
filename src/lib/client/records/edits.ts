/** Longest value an edit history line shows in full; longer ones (notes) are shortened. */
export const SHOWN_VALUE_CHARS = 160;

/** `text` cut at a word boundary near `max` characters, with an ellipsis; short text unchanged. */
export function shorten(text: string, max = SHOWN_VALUE_CHARS): string {
	if (text.length <= max) return text;
	const cut = text.slice(0, max);
	const space = cut.lastIndexOf(' ');
	return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
