/**
 * The back office web app, served by the API process under /backoffice/ from its built files (backoffice/dist, built
 * by `npm run build:backoffice`). It is a single-page app: any path without a file extension is the app's own route
 * and gets index.html; files are served as they are, never a directory listing or a dotfile, never anything outside
 * the directory. Every answer carries a strict content-security policy: the app loads only its own script, style,
 * images and fonts, calls only this origin, and no other site may frame it.
 */
import { existsSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import type { Logger } from '../../common/logger';
import { ApiError, sendApiError } from '../http/errors';

const PREFIX = '/backoffice';

export const BACKOFFICE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "object-src 'self' blob:",
    "frame-src 'self' blob:",
    "connect-src 'self'",
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/**
 * backoffice/dist under the project root: the nearest directory above this file holding package.json. That is the
 * repository under tsx (api/backoffice/) and /app in the image, where this file runs as dist/api/backoffice/static.js.
 */
export function defaultBackofficeDir(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${from}: cannot find the project root`);
    dir = parent;
  }
  return join(dir, 'backoffice', 'dist');
}

/**
 * Mounts /backoffice: the redirect to /backoffice/, the built files, and index.html for the app's own routes.
 * Without a build every request is answered 503 BACKOFFICE_NOT_BUILT; that is the operator's to fix, not a fault of
 * the request, so it is logged once, at warn, on the first such request (not at error on each, as faults are).
 */
export function mountBackoffice(router: Router, distDir = defaultBackofficeDir(), logger?: Logger): void {
  const indexFile = join(resolve(distDir), 'index.html');
  let notBuiltLogged = false;
  const files = express.static(resolve(distDir), {
    index: false,
    redirect: false,
    dotfiles: 'ignore',
    fallthrough: true,
    setHeaders: (res, path) => {
      if (path === indexFile) res.set('Cache-Control', 'no-store');
    },
  });
  const guard: RequestHandler = (req, res, next) => {
    res.set(BACKOFFICE_HEADERS);
    // `/backoffice` itself (the mount also matches `/backoffice/`, so the original URL tells them apart).
    const queryAt = req.originalUrl.indexOf('?');
    if ((queryAt < 0 ? req.originalUrl : req.originalUrl.slice(0, queryAt)) === PREFIX) {
      return res.redirect(301, `${PREFIX}/${queryAt < 0 ? '' : req.originalUrl.slice(queryAt)}`);
    }
    // Checked on every request, so a build made while the API runs is served without a restart.
    if (!existsSync(indexFile)) {
      if (!notBuiltLogged) logger?.warn({ backofficeDir: resolve(distDir) }, 'the back office is not built: /backoffice/ answers 503 until `npm run build:backoffice` runs');
      notBuiltLogged = true;
      return sendApiError(res, new ApiError(503, 'BACKOFFICE_NOT_BUILT', 'Run npm run build:backoffice'));
    }
    next();
  };
  const appRoute: RequestHandler = (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || hasExtension(req.path)) return next();
    res.set('Cache-Control', 'no-store').sendFile(indexFile, { cacheControl: false });
  };
  router.use(PREFIX, guard, files, appRoute);
}

/** Whether the last segment names a file (or a dotfile, or `..`), judged as the file server decodes it. */
function hasExtension(path: string): boolean {
  const segment = posix.basename(path);
  try {
    return decodeURIComponent(segment).includes('.');
  } catch {
    return true;
  }
}
