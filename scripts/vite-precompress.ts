import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** Smaller files are not worth it: the headers would cost more than compression saves. */
const MIN_BYTES = 1024;

/**
 * Writes a Brotli (.br) and a gzip (.gz) copy of every script and stylesheet of the build, at the
 * highest levels (done once, at build time). The real server sends them to browsers that accept them
 * (serveStatic's `precompressed`): smaller than compressing each response on the fly, and no CPU per
 * request.
 */
export function precompress(): Plugin {
  return {
    name: 'atc-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      precompressFiles(options.dir ?? 'dist', Object.keys(bundle));
    },
  };
}

/** Compresses the scripts and stylesheets among `fileNames` (relative to `dir`), as written. */
export function precompressFiles(dir: string, fileNames: readonly string[]): void {
  for (const fileName of fileNames) {
    if (!/\.(js|css)$/.test(fileName)) continue;
    const path = join(dir, fileName);
    const bytes = readFileSync(path);
    if (bytes.length < MIN_BYTES) continue;
    writeFileSync(
      `${path}.br`,
      brotliCompressSync(bytes, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        },
      }),
    );
    writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
  }
}
