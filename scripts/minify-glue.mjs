// Trunk post-build hook (Trunk.toml): in a release build, minifies wasm-bindgen's JS glue and
// puts the minified file's hash in index.html's `integrity` attribute. Trunk's own minifier
// cannot parse the glue (`export { initSync, __wbg_init as default }`) and ships it as is;
// esbuild (installed with the e2e packages by scripts/bootstrap.sh) can: 9.8 KB -> 7.6 KB
// gzipped, part of the first-load budget (docs/benchmarks.md, "Bundle size").
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { env, exit } from 'node:process';
import { fileURLToPath } from 'node:url';

if (env.TRUNK_PROFILE !== 'release') exit(0);

const staging = env.TRUNK_STAGING_DIR;
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(repoRoot, 'e2e', 'package.json'));
let esbuild;
try {
  esbuild = require('esbuild');
} catch {
  console.error('minify-glue: esbuild is missing; run scripts/bootstrap.sh');
  exit(1);
}

const sri = (bytes) => 'sha384-' + createHash('sha384').update(bytes).digest('base64');

const html = join(staging, 'index.html');
let page = await readFile(html, 'utf8');
const glue = (await readdir(staging)).filter((f) => f.endsWith('.js'));
for (const file of glue) {
  const path = join(staging, file);
  const source = await readFile(path);
  const { code } = await esbuild.transform(source.toString('utf8'), {
    format: 'esm',
    minify: true,
  });
  await writeFile(path, code);
  // With subresource integrity on, the browser refuses a file whose hash is not the listed one.
  page = page.replaceAll(sri(source), sri(Buffer.from(code)));
  console.log(`minify-glue: ${file} ${source.length} -> ${code.length} bytes`);
}
await writeFile(html, page);
