// The app is client-rendered (it reads IndexedDB and works offline): the server sends a shell.
export const ssr = false;
// Only the root page is prerendered (see (app)/+page.ts): it is the service worker's offline
// fallback for every navigation.
export const prerender = false;
