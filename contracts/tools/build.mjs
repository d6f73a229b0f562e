#!/usr/bin/env node
// Build driver of the Maven module `contracts` (called by exec-maven-plugin; usable by hand).
//
//   node tools/build.mjs generate --java <java> --classpath <cp> --package <pkg> --out <dir>
//       1. `npm ci --ignore-scripts` (the locked versions) when node_modules is missing or package-lock.json changed since the last
//          install (stamp: node_modules/.procura-lock.sha256);
//       2. `forge build` (incremental: forge's cache skips unchanged sources);
//       3. for every deployable contract defined under src/ (non-empty creation bytecode), writes
//          target/web3j-abi/<Name>.abi and <Name>.bin from out/;
//       4. runs web3j's SolidityFunctionWrapperGenerator for each contract whose ABI/bytecode changed
//          (or whose wrapper is missing) into <out>/<pkg path>, and deletes wrappers of contracts that vanished.
//   node tools/build.mjs test [forge test args...]
//       `forge test` with the project's foundry.toml.
//
// Every failure exits non-zero with a message, so Maven fails loudly.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [command, ...rest] = process.argv.slice(2);

function fail(message) {
  process.stderr.write(`[contracts] ERROR: ${message}\n`);
  process.exit(1);
}

function run(file, args, options = {}) {
  try {
    execFileSync(file, args, { cwd: root, stdio: 'inherit', ...options });
  } catch (e) {
    fail(`${path.basename(file)} ${args.join(' ')} failed (${e.status !== undefined ? 'exit ' + e.status : e.message})`);
  }
}

function sha256(file) {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** npm ci only when node_modules is missing or the lockfile changed since the last install. */
function ensureNodeModules() {
  const lock = path.join(root, 'package-lock.json');
  const stamp = path.join(root, 'node_modules', '.procura-lock.sha256');
  const want = sha256(lock);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === want) return;
  process.stdout.write('[contracts] npm ci from package-lock.json (node_modules missing or lockfile changed)\n');
  // `npm ci` installs exactly the lockfile (every @foundry-rs platform package is listed; npm fetches only this
  // platform's) and fails loudly when package.json and the lockfile disagree.
  // --ignore-scripts: the forge/anvil binaries come in the platform packages (@foundry-rs/*-<os>-<arch>);
  // their postinstall would only try a network download as a fallback.
  run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund']);
  if (sha256(lock) !== want) fail('npm ci modified package-lock.json; commit a consistent lockfile');
  fs.writeFileSync(stamp, want + '\n');
}

/** The real forge/anvil executable from the platform package, as FoundryTools resolves it in Java. */
export function foundryBinary(tool) {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'win32' }[process.platform];
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch];
  const exe = process.platform === 'win32' ? `${tool}.exe` : tool;
  const file = path.join(root, 'node_modules', '@foundry-rs', `${tool}-${os}-${arch}`, 'bin', exe);
  if (!fs.existsSync(file)) fail(`${file} not found: run ./procura or ./mvnw install first`);
  return file;
}

function parseOptions(args) {
  const out = {};
  for (let i = 0; i < args.length; i += 2) {
    if (!args[i].startsWith('--') || args[i + 1] === undefined) fail(`bad argument ${args[i]}`);
    out[args[i].slice(2)] = args[i + 1];
  }
  return out;
}

/** Deployable contracts of src/: { name, abi, bin } for every artifact with creation bytecode. */
function deployableContracts() {
  const outDir = path.join(root, 'out');
  const result = new Map();
  for (const dir of fs.readdirSync(outDir)) {
    const full = path.join(outDir, dir);
    if (!dir.endsWith('.sol') || !fs.statSync(full).isDirectory()) continue;
    for (const file of fs.readdirSync(full)) {
      if (!file.endsWith('.json')) continue;
      const artifact = JSON.parse(fs.readFileSync(path.join(full, file), 'utf8'));
      const target = artifact.metadata?.settings?.compilationTarget ?? {};
      const [source, name] = Object.entries(target)[0] ?? [];
      if (!source || !source.startsWith('src/')) continue;
      const bin = (artifact.bytecode?.object ?? '').replace(/^0x/, '');
      if (bin.length === 0) continue; // interface or abstract contract
      if ((artifact.abi ?? []).length === 0) continue; // library of internal functions only: nothing to call from Java
      if (/__\$[0-9a-f]{34}\$__/.test(bin)) fail(`${name} needs linked libraries, which the build does not support`);
      if (result.has(name)) fail(`two deployable contracts named ${name}`);
      result.set(name, { name, abi: JSON.stringify(artifact.abi), bin });
    }
  }
  if (result.size === 0) fail('no deployable contract found under out/ for src/');
  return [...result.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function generate(args) {
  const opts = parseOptions(args);
  for (const key of ['java', 'classpath', 'package', 'out']) if (!opts[key]) fail(`missing --${key}`);
  ensureNodeModules();
  // The wrappers need the sources only; `forge test` compiles the tests (incrementally) in the test phase.
  run(foundryBinary('forge'), ['build', '--skip', 'test', '--skip', 'test/**']);

  const abiDir = path.join(root, 'target', 'web3j-abi');
  const pkgDir = path.join(path.resolve(root, opts.out), ...opts.package.split('.'));
  fs.mkdirSync(abiDir, { recursive: true });
  const contracts = deployableContracts();
  const wanted = new Set(contracts.map((c) => `${c.name}.java`));

  for (const c of contracts) {
    const abiFile = path.join(abiDir, `${c.name}.abi`);
    const binFile = path.join(abiDir, `${c.name}.bin`);
    const wrapper = path.join(pkgDir, `${c.name}.java`);
    const unchanged = fs.existsSync(wrapper) && fs.existsSync(abiFile) && fs.existsSync(binFile)
      && fs.readFileSync(abiFile, 'utf8') === c.abi && fs.readFileSync(binFile, 'utf8') === c.bin;
    if (unchanged) continue;
    fs.writeFileSync(abiFile, c.abi);
    fs.writeFileSync(binFile, c.bin);
    process.stdout.write(`[contracts] web3j wrapper ${opts.package}.${c.name}\n`);
    run(opts.java, ['-cp', opts.classpath, 'org.web3j.codegen.SolidityFunctionWrapperGenerator',
      '-a', abiFile, '-b', binFile, '-o', path.resolve(root, opts.out), '-p', opts.package]);
    if (!fs.existsSync(wrapper)) fail(`web3j did not produce ${wrapper}`);
  }
  if (fs.existsSync(pkgDir)) {
    for (const file of fs.readdirSync(pkgDir)) {
      if (file.endsWith('.java') && !wanted.has(file)) fs.rmSync(path.join(pkgDir, file));
    }
  }
}

function test(args) {
  ensureNodeModules();
  run(foundryBinary('forge'), ['test', ...args]);
}

if (command === 'generate') generate(rest);
else if (command === 'test') test(rest);
else fail('usage: build.mjs generate --java J --classpath CP --package P --out DIR | build.mjs test [args]');
