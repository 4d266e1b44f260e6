/** What electron-vite (Vite) defines in the main process bundle at build time. */
interface ImportMetaEnv {
  /** True only in `electron-vite dev`. */
  readonly DEV: boolean;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
