// Grant rules live in ../grants.ts; re-exported for the mutators that apply them.
export { isOpenGrant } from '../grants';
