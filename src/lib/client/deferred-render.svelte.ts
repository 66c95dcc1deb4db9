import { nextTask } from './next-task';

/** The turns handed out so far: each waits for the previous one, then for a task of its own. */
let turns: Promise<void> = Promise.resolve();

/** How far outside the viewport a block starts rendering, so it is drawn before it scrolls in. */
const AHEAD = '300px 0px';

/**
 * A flag that turns true once the block's element is near the viewport, and at the earliest in a
 * later task, one block per task in the order they asked. A page with several costly blocks (the
 * analytics charts) then draws each in a task of its own, and those below the fold only when the
 * reader scrolls towards them, instead of all of them in the first task after the data arrives,
 * which blocked a phone for over a second. Call it during component initialisation (it uses
 * `$effect`).
 */
export function useDeferredRender(element: () => Element | undefined): { readonly ready: boolean } {
	let turn = $state(false);
	let near = $state(false);
	$effect(() => {
		let mounted = true;
		turns = turns.then(nextTask).then(() => {
			if (mounted) turn = true;
		});
		return () => {
			mounted = false;
		};
	});
	$effect(() => {
		const target = element();
		if (!target || near) return;
		if (typeof IntersectionObserver === 'undefined') {
			near = true;
			return;
		}
		const observer = new IntersectionObserver(
			(entries) => {
				if (entries.some((entry) => entry.isIntersecting)) near = true;
			},
			{ rootMargin: AHEAD }
		);
		observer.observe(target);
		return () => observer.disconnect();
	});
	return {
		get ready() {
			return turn && near;
		}
	};
}
