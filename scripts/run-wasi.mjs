// Runs a wasm32-wasip1 program under node's WASI, with the current directory readable as `.`.
// Used to measure the engine as wasm (scripts/bench-wasm.sh) and to compare the simulate tool's
// output as wasm with its native output.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import { argv, env, exit } from 'node:process';

const [file, ...args] = argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env, preopens: { '.': '.' }, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
exit(wasi.start(instance));
