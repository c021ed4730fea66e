// Where the service finds its built files. The service runs from source (server/*.ts) or
// compiled into dist-server/*.js: both are one folder below the project root.
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');

/** The widget's build (Vite): the manifest, scripts and stylesheets the page needs. */
export const WIDGET_DIR = join(ROOT, 'dist');
/** The embed loader's build. */
export const EMBED_DIR = join(ROOT, 'dist-embed');
