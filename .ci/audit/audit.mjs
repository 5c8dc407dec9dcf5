#!/usr/bin/env node
// The site audit: judges a built site (a folder of HTML/CSS/images) with three
// maintained tools, on every page in the folder. See README.md beside this file.
//
//   node .ci/audit/audit.mjs DIR        audit DIR (e.g. public/)
//   node .ci/audit/audit.mjs --selftest audit selftest/ and assert that each
//                                       check finds the problems planted there
//
// Checks:
//   axe    axe-core (WCAG 2.0/2.1/2.2 A and AA rules) in Debian's headless
//          Chromium, driven by playwright-core; each page in light and in dark
//          colour scheme, served from 127.0.0.1 so that /absolute/paths resolve.
//   vnu    the W3C Nu Html Checker (vnu-jar), errors only, every HTML page.
//   links  lychee, offline: every same-site href/src/srcset/CSS url() and
//          #fragment must name a file (and an id) in DIR.
//
// Prints each check's findings, then `audit: N passed, M failed` (N, M count
// checks). Exit status: 0 nothing found, 1 a finding, 2 a setup error.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const CHROMIUM = process.env.AUDIT_CHROMIUM || '/usr/bin/chromium';
const LYCHEE = process.env.AUDIT_LYCHEE || path.join(HERE, '.venv/bin/lychee');
const JOBS = 2; // tabs at a time: CI has 2 cores
const PAGE_TIMEOUT = 30_000;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const SCHEMES = ['light', 'dark']; // the theme has a prefers-color-scheme: dark palette

class SetupError extends Error {}
const within = (ms, what, promise) => Promise.race([promise, new Promise((_, reject) => {
  setTimeout(() => reject(new Error(`${what} took over ${ms / 1000} s`)), ms).unref();
})]);
const elapsed = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

// ------------------------------------------------------------------ the pages
function walk(root, rel = '') {
  const out = [];
  for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...walk(root, r));
    else if (e.isFile()) out.push(r);
  }
  return out.sort();
}

// The URL path a page is served at: x/index.html is /x/.
function urlPath(rel) {
  const p = rel === 'index.html' ? '' : rel.endsWith('/index.html') ? rel.slice(0, -10) : rel;
  return `/${p.split('/').map(encodeURIComponent).join('/')}`;
}

// A redirect-only page (brum's aliases) has nothing to audit in a browser: it leaves at once.
const isRedirect = (html) => /<meta\s[^>]*http-equiv\s*=\s*["']?refresh/i.test(html);

// ------------------------------------------------------------------ the server
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.json': 'application/json', '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
  '.webp': 'image/webp', '.avif': 'image/avif', '.gif': 'image/gif', '.ico': 'image/x-icon',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.webmanifest': 'application/manifest+json',
};

// `holdConfig`: requests for an editor's config.yml are never answered, so
// that Decap stays on its loading screen, which is checked too (its grey
// background once made its loading text fail contrast, seen only when the
// config was slow to come).
function serve(root, holdConfig = false) {
  const server = http.createServer((req, res) => {
    const fail = (code) => { res.writeHead(code, { 'content-type': 'text/plain' }); res.end(`${code}\n`); };
    let p;
    try { p = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { return fail(400); }
    if (holdConfig && p.endsWith('/config.yml')) return; // left open until the audit exits
    const file = path.join(root, path.normalize(p));
    if (file !== root && !file.startsWith(root + path.sep)) return fail(403);
    let st;
    try { st = fs.statSync(file); } catch { return fail(404); }
    let target = file;
    if (st.isDirectory()) {
      if (!p.endsWith('/')) { res.writeHead(301, { location: `${new URL(req.url, 'http://x').pathname}/` }); return res.end(); }
      target = path.join(file, 'index.html');
      if (!fs.existsSync(target)) return fail(404);
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(target).toLowerCase()] || 'application/octet-stream',
      'cache-control': 'no-store' });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(target).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// ------------------------------------------------------------------ axe
async function axeCheck(root, pages) {
  let chromium;
  let axeSource;
  try {
    ({ chromium } = require('playwright-core'));
    axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  } catch (e) {
    throw new SetupError(`axe-core or playwright-core missing (run npm ci in .ci/audit): ${e.message}`);
  }
  if (!fs.existsSync(CHROMIUM)) throw new SetupError(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  const skipped = pages.filter((p) => isRedirect(fs.readFileSync(path.join(root, p), 'utf8')));
  const jobs = pages.filter((p) => !skipped.includes(p)).flatMap((page) => SCHEMES.map((scheme) => ({ page, scheme })));
  // Each editor (a folder's index.html beside its config.yml) once more, still loading.
  const editors = pages.filter((p) => path.basename(p) === 'index.html'
    && fs.existsSync(path.join(root, path.dirname(p), 'config.yml')));
  jobs.push(...editors.flatMap((page) => SCHEMES.map((scheme) => ({ page, scheme, loading: true }))));
  const server = await serve(root);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const held = await serve(root, true);
  const heldOrigin = `http://127.0.0.1:${held.address().port}`;
  let browser;
  try {
    try {
      // playwright gives Chromium a fresh --user-data-dir of its own, removed on close
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
          '--disable-background-networking', '--disable-component-update', '--disable-sync',
          '--disable-dev-shm-usage',
          // no host name resolves: the network is closed, and a page must not wait on one
          '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'],
        timeout: 60_000,
      });
    } catch (e) {
      throw new SetupError(`Chromium did not start: ${String(e.message).split('\n')[0]}`);
    }
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
    const findings = [];
    let next = 0;
    const worker = async () => {
      let tab = await ctx.newPage();
      for (let i = next++; i < jobs.length; i = next++) {
        const { scheme, loading } = jobs[i];
        const page = loading ? `${jobs[i].page} (loading)` : jobs[i].page;
        try {
          await tab.emulateMedia({ colorScheme: scheme });
          const resp = await tab.goto((loading ? heldOrigin : origin) + urlPath(jobs[i].page),
            { waitUntil: 'load', timeout: PAGE_TIMEOUT });
          if (!resp || resp.status() !== 200) throw new Error(`HTTP ${resp && resp.status()}`);
          if (loading) await tab.waitForTimeout(2000); // Decap draws its loader once its script has run
          const violations = await within(PAGE_TIMEOUT, 'axe', tab.evaluate(axeSource).then(() => tab.evaluate(
            (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
              .then((r) => r.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.length, target: v.nodes[0] ? v.nodes[0].target.join(' ') : '',
              }))),
            AXE_TAGS,
          )));
          for (const v of violations) {
            findings.push({ page, scheme, rule: v.id,
              text: `${scheme.padEnd(5)} ${page}  ${v.id} (${v.impact}, ${v.nodes} element${v.nodes === 1 ? '' : 's'}): ${v.help}; first: ${v.target}` });
          }
        } catch (e) {
          findings.push({ page, scheme, rule: 'not-checked',
            text: `${scheme.padEnd(5)} ${page}  page not checked: ${String(e.message).split('\n')[0]}` });
          await within(PAGE_TIMEOUT, 'closing a tab', tab.close()).catch(() => {}); // a fresh tab for the next page
          tab = await ctx.newPage();
        }
      }
      await tab.close();
    };
    await Promise.all(Array.from({ length: JOBS }, worker));
    const version = require('axe-core/package.json').version;
    return {
      findings,
      summary: `axe-core ${version} in Chromium ${browser.version()}: ${jobs.length / SCHEMES.length - editors.length} pages x ${SCHEMES.join('+')}`
        + `${editors.length ? `, and ${editors.length} editor${editors.length === 1 ? '' : 's'} still loading` : ''}`
        + `${skipped.length ? ` (${skipped.length} redirect-only skipped)` : ''}`,
    };
  } finally {
    if (browser) await browser.close().catch(() => {});
    server.close();
    held.close();
  }
}

// ------------------------------------------------------------------ helpers
const decode = (u) => { try { return decodeURI(u); } catch { return u; } };
const children = new Set(); // stopped if the audit ends early (a setup error elsewhere)
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', (e) => reject(new SetupError(`cannot run ${cmd}: ${e.message}`)));
    child.on('close', (code) => { children.delete(child); resolve({ code, stdout, stderr }); });
  });
}

// ------------------------------------------------------------------ vnu
async function vnuCheck(root, pages) {
  let jar;
  try { jar = String(require('vnu-jar')); } catch { throw new SetupError('vnu-jar missing (run npm ci in .ci/audit)'); }
  const version = (await run('java', ['-jar', jar, '--version'])).stdout.trim();
  const r = await run('java', ['-jar', jar, '--errors-only', '--no-langdetect', '--format', 'json',
    '--exit-zero-always', '--stdout', ...pages], { cwd: root });
  let messages;
  try { ({ messages } = JSON.parse(r.stdout)); } catch {
    throw new SetupError(`vnu printed no JSON (exit ${r.code}): ${(r.stderr || r.stdout).slice(-500)}`);
  }
  const findings = messages.filter((m) => m.type === 'error' || m.type === 'non-document-error').map((m) => {
    const page = decode(String(m.url || '')).replace(`file:${root}/`, '');
    const key = `${page}\0${String(m.lastLine ?? 0).padStart(9, '0')}`;
    return { page, key, text: `${page}:${m.lastLine ?? '?'}:${m.firstColumn ?? '?'}  ${m.message}` };
  });
  return { findings, summary: `Nu Html Checker ${version}: ${pages.length} pages` };
}

// ------------------------------------------------------------------ links
async function linksCheck(root, files) {
  if (!fs.existsSync(LYCHEE)) {
    throw new SetupError(`no lychee at ${LYCHEE} (python3 -m venv .ci/audit/.venv && .ci/audit/.venv/bin/pip install -r .ci/audit/requirements.txt)`);
  }
  const version = (await run(LYCHEE, ['--version'])).stdout.trim();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-lychee-'));
  try {
    const list = path.join(work, 'inputs');
    const out = path.join(work, 'out.json');
    fs.writeFileSync(list, files.map((f) => `${path.join(root, f)}\n`).join(''));
    const r = await run(LYCHEE, ['--offline', '--include-fragments', '--index-files', 'index.html',
      '--root-dir', root, '--no-progress', '--format', 'json', '--output', out,
      '--files-from', list], { cwd: work });
    // 0: all fine, 2: broken links found; anything else is lychee failing
    if (r.code !== 0 && r.code !== 2) throw new SetupError(`lychee exited ${r.code}: ${r.stderr.slice(-500)}`);
    const report = JSON.parse(fs.readFileSync(out, 'utf8'));
    const findings = [];
    for (const [input, errors] of Object.entries(report.error_map || {})) {
      const page = path.relative(root, input);
      for (const e of errors) {
        const at = e.span ? `:${e.span.line}:${e.span.column}` : '';
        let url = decode(String(e.url)).replace(`file://${root}`, '');
        if (url === '' || url.startsWith('#')) url = `/${url}`;
        const why = e.status.details || e.status.text;
        const key = `${page}\0${String(e.span ? e.span.line : 0).padStart(9, '0')}`;
        findings.push({ page, url, key, text: `${page}${at}  ${url}: ${why}` });
      }
    }
    return { findings, summary: `${version}: ${report.total} references in ${files.length} files, ${report.excludes} external or other schemes not followed` };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ the audit
async function audit(dir) {
  if (!dir || !fs.existsSync(path.join(dir, 'index.html'))) {
    throw new SetupError(`${dir || '(no DIR)'} has no index.html: give the built site's folder`);
  }
  const root = fs.realpathSync(dir);
  const files = walk(root);
  const pages = files.filter((f) => /\.html?$/i.test(f));
  const t0 = Date.now();
  const timed = (name, f) => { const t = Date.now(); return f().then((r) => ({ name, ...r, time: elapsed(t) })); };
  console.log(`audit: ${root}: ${pages.length} HTML pages, ${files.length} files`);
  const results = await Promise.all([
    timed('axe', () => axeCheck(root, pages)),
    timed('vnu', () => vnuCheck(root, pages)),
    timed('links', () => linksCheck(root, files.filter((f) => /\.(html?|css)$/i.test(f)))),
  ]);
  for (const r of results) {
    const key = (f) => f.key ?? f.text; // by page, then line
    r.findings.sort((a, b) => (key(a) > key(b)) - (key(a) < key(b)));
    console.log(`\n== ${r.name}: ${r.findings.length ? `FAIL, ${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}` : 'PASS'} [${r.time}]`);
    console.log(`   ${r.summary}`);
    for (const f of r.findings) console.log(`   ${f.text}`);
  }
  console.log(`\naudit: total ${elapsed(t0)}`);
  return results;
}

// What selftest/ plants, and what each check must say about it. The clean pages
// (index.html and the Urdu ones under ur/) must have no finding at all.
const EXPECTED = [
  ['axe', 'image-alt: an img without alt', (f) => f.page === 'broken/index.html' && f.rule === 'image-alt' && f.scheme === 'light'],
  ['axe', 'color-contrast in the dark scheme only', (f) => f.page === 'broken/index.html' && f.rule === 'color-contrast' && f.scheme === 'dark'],
  ['vnu', 'an element HTML does not have (<frob>)', (f) => f.page === 'broken/index.html' && /“frob”/.test(f.text)],
  ['vnu', 'an img without alt', (f) => f.page === 'broken/index.html' && /alt/.test(f.text)],
  ['links', 'a page that does not exist', (f) => f.page === 'broken/index.html' && f.url === '/missing'],
  ['links', 'a #fragment missing on another page', (f) => f.page === 'broken/index.html' && f.url.endsWith('#no-such-id')],
  ['links', 'a #fragment missing on the same page', (f) => f.page === 'broken/index.html' && f.url.endsWith('#not-here-either')],
  ['links', 'a srcset candidate that does not exist', (f) => f.page === 'broken/index.html' && f.url === '/img/missing-2x.svg'],
  ['links', 'a CSS url() that does not exist', (f) => f.page === 'broken/index.html' && f.url === '/img/gone.svg'],
  ['axe', 'color-contrast on an editor still loading its config', (f) => f.page === LOADING && f.rule === 'color-contrast'],
];
const LOADING = 'editor/index.html (loading)'; // only the held-back pass sees its loader

async function selftest() {
  const results = await audit(path.join(HERE, 'selftest'));
  const by = Object.fromEntries(results.map((r) => [r.name, r.findings]));
  const checks = EXPECTED.map(([check, what, match]) => [`${check} finds ${what}`, by[check].some(match)]);
  checks.push(['axe light finds no color-contrast on the broken page', !by.axe.some((f) => f.page === 'broken/index.html' && f.rule === 'color-contrast' && f.scheme === 'light')]);
  for (const name of Object.keys(by)) {
    const stray = by[name].filter((f) => f.page !== 'broken/index.html' && f.page !== LOADING);
    checks.push([`${name} finds nothing on the clean pages${stray.length ? ` (found: ${stray.map((f) => f.text).join('; ')})` : ''}`, !stray.length]);
  }
  console.log('\nself-test:');
  for (const [what, ok] of checks) console.log(`  ${ok ? 'ok  ' : 'FAIL'}  ${what}`);
  const failed = checks.filter(([, ok]) => !ok).length;
  console.log(`self-test: ${checks.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

async function main(args) {
  if (args[0] === '--selftest' && args.length === 1) return selftest();
  if (args.length !== 1 || args[0].startsWith('-')) {
    console.error('usage: node .ci/audit/audit.mjs DIR | --selftest');
    return 2;
  }
  const results = await audit(args[0]);
  const failed = results.filter((r) => r.findings.length).length;
  console.log(`audit: ${results.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
  console.error(`audit: ${e instanceof SetupError ? 'setup error' : 'error'}: ${e instanceof SetupError ? e.message : e.stack}`);
  process.exit(2);
});
