// Opens HTML files in headless Chromium (puppeteer-core) at each width and
// colour scheme, runs axe-core on them, and measures what a reader sees:
// horizontal scrolling and the text's measure. Prints one JSON object per
// view on stdout. With --shots DIR, saves two screenshots per view (the top, the
// first article).
//
//   node web_check.js [--shots DIR] FILE...
// Needs NODE_PATH (or a node_modules beside it) with axe-core and
// puppeteer-core, and PUPPETEER_EXECUTABLE_PATH (Debian's chromium).
const path = require('path');
const puppeteer = require('puppeteer-core');
const axeSource = require('fs').readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function main() {
  const args = process.argv.slice(2);
  let shots = null;
  if (args[0] === '--shots') { shots = args[1]; args.splice(0, 2); }
  const browser = await puppeteer.launch({
    executablePath: process.env.PUPPETEER_EXECUTABLE_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
    headless: true,
  });
  try {
    for (const file of args) {
      for (const width of [360, 1280]) {
        for (const scheme of ['light', 'dark']) {
          const page = await browser.newPage();
          await page.setViewport({ width, height: 800 });
          await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
          await page.goto('file://' + path.resolve(file), { waitUntil: 'load' });
          await page.addScriptTag({ content: axeSource });
          const result = await page.evaluate(async () => {
            const r = await axe.run(document, { resultTypes: ['violations'] });
            const doc = document.documentElement;
            // The measure: characters per full line of the longest paragraph.
            let measure = null;
            let longest = null;
            for (const p of document.querySelectorAll('main .article > p')) {
              if (!longest || p.textContent.length > longest.textContent.length) longest = p;
            }
            if (longest) {
              const lh = parseFloat(getComputedStyle(longest).lineHeight);
              const lines = Math.round(longest.getBoundingClientRect().height / lh);
              if (lines >= 3) measure = Math.round(longest.textContent.length / (lines - 0.5));
            }
            return {
              violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) })),
              scrollWidth: doc.scrollWidth,
              clientWidth: doc.clientWidth,
              measure,
              background: getComputedStyle(doc).backgroundColor,
            };
          });
          if (shots) {
            // The top of the page, and the first article's head.
            const name = path.basename(file, '.html') + `-${width}-${scheme}`;
            await page.screenshot({ path: path.join(shots, name + '-top.png') });
            await page.evaluate(() => document.querySelector('.article').scrollIntoView());
            await page.screenshot({ path: path.join(shots, name + '-article.png') });
          }
          console.log(JSON.stringify({ file, width, scheme, ...result }));
          await page.close();
        }
      }
    }
  } finally {
    await browser.close();
  }
}

main().catch(e => { console.error(e); process.exit(1); });
