// A phone-sized Chromium page for the citizen-page tests: 360 × 740, touch,
// with axe-core injected on demand (the page's own CSP is set aside for it)
// and a check that nothing is wider than the phone.
// Env: CHROMIUM (default /usr/bin/chromium).
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

export async function phone(test, shots) {
  const fail = (msg) => {
    console.error(`${test} test FAILED: ${msg}`);
    process.exit(1);
  };
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, bypassCSP: true });
  page.on('pageerror', (e) => fail(`script error: ${e.message}`));
  const shot = async (name) => { if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true, timeout: 10000 }); };
  // Wider than the phone: scrolled sideways, or a layout viewport the browser widened (zoomed out) to fit.
  const sideways = (on) => on.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1 || window.innerWidth > 361);
  // No accessibility violation axe-core can find, and nothing wider than the phone — on the
  // phone's page, or on another phone-sized page of the same browser (`on`).
  const axe = async (what, on = page) => {
    await on.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const found = await on.evaluate(async () => (await window.axe.run(document)).violations);
    if (found.length) {
      fail(`${what}: ${found.map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`).join('; ')}`);
    }
    if (await sideways(on)) fail(`${what} is wider than the phone`);
  };
  return { browser, page, fail, shot, axe };
}
