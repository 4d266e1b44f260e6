/** The page the app's window shows: the built file, or in development the dev server. */
export interface AppPage {
  /** The built renderer's index.html, in production. */
  file?: string;
  /** The electron-vite dev server, in `npm run dev` only (see app-page.ts). */
  devServer?: string;
}
