/**
 * @module @ward/web
 * Where the web app's files are. Today a sign-in and status page; the React dashboard replaces it.
 * The page talks to the server only through the HTTP API.
 */
import { fileURLToPath } from 'node:url';

/** Absolute path of the folder the server serves at `/`. */
export const WEB_ROOT: string = fileURLToPath(new URL('../public', import.meta.url));
