// The root page is prerendered: the service worker serves this shell for every navigation while
// offline (navigateFallback: '/'), and the client router takes over from there.
export const prerender = true;
