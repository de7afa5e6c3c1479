// Opens a compliance report from file:// in headless Chromium over the DevTools protocol, reads
// its numbers from the DOM, sorts and filters its tables by clicking and typing as a user would,
// takes a screenshot, and prints what it saw as JSON. Uses only Node.js (run with
// --experimental-websocket on Node 20) and Debian's chromium.
// usage: node --experimental-websocket ReportInBrowser.mjs CHROMIUM REPORT.html SCREENSHOT.png
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [chromiumPath, reportPath, screenshotPath] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), 'remoteops-chromium-'));
const chromium = spawn(chromiumPath, [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  `--user-data-dir=${profile}`, '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0',
  '--window-size=1280,1400', 'about:blank',
], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
// detached: Chromium leads a process group of its own, so that its zygote, GPU and renderer
// helpers, which outlive the browser process for a moment and write to the profile, can be
// ended and waited for as one before the profile is removed.
let chromiumErrors = '';
chromium.stderr.on('data', (chunk) => { chromiumErrors += chunk; });

const problems = [];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls PROBE every 100 ms until it returns something other than null; a probe that throws
// (a refused connection while Chromium starts) counts as not yet. Fails naming WHAT, with the
// last error, after TIMEOUT ms or as soon as Chromium has exited.
async function until(what, timeout, probe) {
  const deadline = Date.now() + timeout;
  let lastError = null;
  for (;;) {
    if (chromium.exitCode !== null || chromium.signalCode !== null) {
      throw new Error(`Chromium exited (${chromium.exitCode ?? chromium.signalCode}) while waiting for ${what}`);
    }
    try {
      const value = await probe();
      if (value !== null) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`gave up after ${timeout / 1000} s waiting for ${what}` + (lastError ? ': ' + lastError.message : ''));
    }
    await sleep(100);
  }
}

// Whether a process of Chromium's group still runs. Its helpers are reparented when the browser
// exits and stay zombies until the machine's init reaps them, which can take seconds; a zombie
// writes nothing, so only the live ones count.
const groupAlive = () => readdirSync('/proc').some((entry) => {
  if (!/^[0-9]+$/.test(entry)) return false;
  try {
    const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(group) === chromium.pid && state !== 'Z' && state !== 'X';
  } catch {
    return false; // ended while being read
  }
});

// Ends Chromium and every helper in its group, then waits until none runs (at most 10 s after
// SIGTERM, then SIGKILL): only then does nothing write to the profile any more.
async function stopChromium() {
  try { process.kill(-chromium.pid, 'SIGTERM'); } catch { /* already gone */ }
  for (let i = 0; i < 100 && groupAlive(); i++) await sleep(100);
  if (groupAlive()) {
    try { process.kill(-chromium.pid, 'SIGKILL'); } catch { /* gone meanwhile */ }
    for (let i = 0; i < 50 && groupAlive(); i++) await sleep(100);
  }
  if (chromium.exitCode === null && chromium.signalCode === null) {
    await new Promise((resolve) => chromium.on('exit', resolve));
  }
}

async function main() {
  // A first start on a fresh machine (font cache, profile) under a loaded CI run can take many
  // seconds, and the port file can be seen before Chromium has finished writing it.
  const port = await until('Chromium to write its DevTools port', 60000, () => {
    const portFile = join(profile, 'DevToolsActivePort');
    const first = existsSync(portFile) ? readFileSync(portFile, 'utf8').split('\n')[0] : '';
    return /^[0-9]+$/.test(first) ? first : null;
  });
  const page = await until('Chromium to open its first page', 30000, async () => {
    const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`, { signal: AbortSignal.timeout(5000) })).json();
    return targets.find((t) => t.type === 'page') || null;
  });
  const socket = new WebSocket(page.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });

  let nextId = 1;
  const pending = new Map();
  let loaded = null;
  const load = new Promise((resolve) => { loaded = resolve; });
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.id && pending.has(message.id)) {
      pending.get(message.id)(message);
      pending.delete(message.id);
    } else if (message.method === 'Runtime.exceptionThrown') {
      problems.push('exception: ' + message.params.exceptionDetails.text);
    } else if (message.method === 'Runtime.consoleAPICalled' && ['error', 'warning', 'assert'].includes(message.params.type)) {
      problems.push('console.' + message.params.type + ': ' + message.params.args.map((a) => a.value).join(' '));
    } else if (message.method === 'Log.entryAdded' && ['error', 'warning'].includes(message.params.entry.level)) {
      problems.push('log ' + message.params.entry.level + ': ' + message.params.entry.text);
    } else if (message.method === 'Page.loadEventFired') {
      loaded();
    }
  };
  const send = (method, params = {}) => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, (message) => (message.error ? reject(new Error(method + ': ' + message.error.message)) : resolve(message.result)));
    socket.send(JSON.stringify({ id, method, params }));
  });
  const evaluate = async (expression) => {
    const result = await send('Runtime.evaluate', { expression, returnByValue: true, userGesture: true });
    if (result.exceptionDetails) throw new Error('evaluate: ' + result.exceptionDetails.text);
    return result.result.value;
  };

  await send('Runtime.enable');
  await send('Log.enable');
  await send('Page.enable');
  await send('Page.navigate', { url: pathToFileURL(reportPath).href });
  await load;
  await sleep(300);

  const numbers = await evaluate(`(() => {
    const text = (id) => document.getElementById(id).textContent.trim();
    const rows = (id) => Array.from(document.querySelectorAll('#' + id + ' tbody tr'));
    return {
      hostsTotal: text('hosts-total'), hostsCompliant: text('hosts-compliant'),
      hostsNonCompliant: text('hosts-noncompliant'), hostsError: text('hosts-error'), checksTotal: text('checks-total'),
      checks: rows('checks').map((r) => Array.from(r.cells).map((c) => c.textContent.trim())),
      chart: Array.from(document.querySelectorAll('#chart g.bar')).map((g) => ({
        check: g.getAttribute('data-check'),
        segments: Array.from(g.querySelectorAll('rect')).map((r) => r.getAttribute('data-status') + '=' + r.getAttribute('data-count')),
      })),
      hosts: rows('hosts').map((r) => Array.from(r.cells).map((c) => c.textContent.trim())),
      detailRows: rows('detail').length,
      evidence: Array.from(document.querySelectorAll('#detail td.evidence')).map((c) => c.textContent),
      scripts: document.scripts.length, images: document.images.length,
      injected: typeof window.injected !== 'undefined',
    };
  })()`);

  const click = (table, column) => evaluate(`(() => {
    document.querySelectorAll('#${table} thead th')[${column}].querySelector('button').click();
    return Array.from(document.querySelectorAll('#${table} tbody tr')).map((r) => r.cells[0].textContent.trim());
  })()`);
  const clickColumn = (table, column, read) => evaluate(`(() => {
    document.querySelectorAll('#${table} thead th')[${column}].querySelector('button').click();
    return Array.from(document.querySelectorAll('#${table} tbody tr')).map((r) => r.cells[${read}].textContent.trim());
  })()`);
  const sorting = {
    hostsAscending: await click('hosts', 0),
    hostsDescending: await click('hosts', 0),
    passRateAscending: await clickColumn('checks', 6, 6),
  };

  // Typing into the filter box: the page listens to input events, as a keyboard would fire them.
  await evaluate(`document.querySelector('input[data-filter=detail]').focus()`);
  await send('Input.insertText', { text: 'lt-02' });
  const filtering = await evaluate(`(() => ({
    shown: document.getElementById('detail-shown').textContent,
    visible: Array.from(document.querySelectorAll('#detail tbody tr')).filter((r) => !r.hidden).map((r) => r.cells[0].textContent.trim()),
  }))()`);
  await evaluate(`(() => { const i = document.querySelector('input[data-filter=detail]'); i.value = ''; i.dispatchEvent(new Event('input')); })()`);

  const shot = await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true });
  writeFileSync(screenshotPath, Buffer.from(shot.data, 'base64'));
  socket.close();
  return { numbers, sorting, filtering, problems };
}

async function cleanUp() {
  await stopChromium();
  rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}

// Chromium leads its own group, so a signal to this script no longer reaches it: pass it on.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await cleanUp();
    process.exit(1);
  });
}

let exitCode = 0;
try {
  console.log(JSON.stringify(await main()));
} catch (error) {
  console.error(String(error.stack || error) + '\nPage problems: ' + JSON.stringify(problems) + '\n' + chromiumErrors);
  exitCode = 1;
} finally {
  await cleanUp();
}
process.exit(exitCode);
