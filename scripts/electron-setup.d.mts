// Types for electron-setup.mjs, a plain script shared by `npm start` and the tests.
export const ROOT: string;
export class SetupError extends Error {}
export const APP_NODE_MAJOR: number;
/** Throws a SetupError naming the Node needed when `version` is too old for the app. */
export function requireNodeForApp(version?: string): void;
export function ensureElectronBinary(options?: { quiet?: boolean }): string;
export function electronBinaryInstalled(): boolean;
export function ensureElectronSqlite(electron: string, options?: { quiet?: boolean }): string;
