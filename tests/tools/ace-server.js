// Ace by DAISY as one long-lived checker for a whole test run.
//
// ace-cli starts Node and Chromium for every book (seconds each); this
// starts them once. It reads lines "BOOK<TAB>OUTDIR" on stdin, checks BOOK
// with ace-core, writes OUTDIR/report.json as ace-cli does, and answers
// "ok" or "error MESSAGE" on one line. On end of input it closes Chromium.
//
//   node ace-server.js NODE_MODULES_DIR
'use strict';

const fs = require('fs');
const path = require('path');
const readline = require('readline');

const modules = process.argv[2] && path.resolve(process.argv[2]);
if (!modules) {
  console.error('usage: node ace-server.js NODE_MODULES_DIR');
  process.exit(2);
}
const ace = require(path.join(modules, '@daisy/ace-core'));
const runner = require(path.join(modules, '@daisy/ace-axe-runner-puppeteer'));
const logger = require(path.join(modules, '@daisy/ace-logger'));
logger.initLogger({ silent: true });

// ace-core launches and closes the browser around each book: keep one.
const launch = runner.launch.bind(runner);
const close = runner.close.bind(runner);
let browser = null;
runner.launch = () => (browser = browser || launch());
runner.close = async () => {};

async function check(line) {
  const [book, outdir] = line.split('\t');
  try {
    fs.rmSync(outdir, { recursive: true, force: true });
    await ace(book, { cwd: process.cwd(), outdir, silent: true, jobId: '' }, runner);
    process.stdout.write('ok\n');
  } catch (err) {
    const msg = String((err && err.message) || err).replace(/\s+/g, ' ');
    process.stdout.write(`error ${msg}\n`);
  }
}

let queue = Promise.resolve();
const input = readline.createInterface({ input: process.stdin });
input.on('line', (line) => {
  if (line.trim()) queue = queue.then(() => check(line));
});
input.on('close', () => {
  queue.then(async () => {
    if (browser) await close();
    process.exit(0);
  });
});
