/** Saves text made on the device as a file (a Blob URL and a clicked link), online or offline. */
export function downloadText(text: string, fileName: string, type: string): void {
	const url = URL.createObjectURL(new Blob([text], { type }));
	const link = document.createElement('a');
	link.href = url;
	link.download = fileName;
	document.body.append(link);
	link.click();
	link.remove();
	// Revoked a little later: some browsers read the Blob after click() returns.
	setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
