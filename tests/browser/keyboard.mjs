// Keyboard-only walk through the staff UI in headless Chromium: sign in, search,
// open a dossier, open the application form, submit it empty and reach the
// first error from the summary — with no mouse event at all.
// Usage: node keyboard.mjs BASE_URL [SCREENSHOT_DIR]
// Env: CHROMIUM (default /usr/bin/chromium), DOSSIER_LOGIN, DOSSIER_PASSWORD.
import { chromium } from 'playwright-core';

const base = process.argv[2];
const shots = process.argv[3];
const login = process.env.DOSSIER_LOGIN ?? 'specialist';
const password = process.env.DOSSIER_PASSWORD ?? 'demo-dossier-2026';

function fail(msg) {
  console.error(`keyboard test FAILED: ${msg}`);
  process.exit(1);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.on('pageerror', (e) => fail(`script error: ${e.message}`));
const shot = async (name) => { if (shots) await page.screenshot({ path: `${shots}/${name}.png`, timeout: 10000 }); };
const focused = () => page.evaluate(() => {
  const el = document.activeElement;
  return el ? { tag: el.tagName, name: el.getAttribute('name'), id: el.id, text: (el.textContent || '').trim().slice(0, 60), href: el.getAttribute('href') } : null;
});
/** Presses a key that navigates, and waits for the new page. */
const navigate = (key) => Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press(key)]);
/** Presses Tab until `pred(focused)` holds; fails after `max` presses. */
async function tabTo(pred, what, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused();
    if (f && pred(f)) return f;
  }
  fail(`could not reach ${what} with Tab`);
}

await page.goto(`${base}/login`);
// Chromium applies `autofocus` at its next rendering step, which may come
// just after the load event: wait for it (briefly) instead of racing it.
await page.waitForFunction(() => document.activeElement?.name === 'login', null, { timeout: 3000 }).catch(() => {});
let f = await focused();
if (f?.name !== 'login') fail(`login field is not focused on load (${JSON.stringify(f)})`);
await page.keyboard.type(login);
await page.keyboard.press('Tab');
await page.keyboard.type(password);
await navigate('Enter');
if (new URL(page.url()).pathname !== '/') fail(`sign-in did not land on the search page (${page.url()})`);
await shot('1-search');

// The search box has focus; the first option searches by name prefix or RNOKPP.
f = await focused();
if (f?.name !== 'q') fail(`search box is not focused (${JSON.stringify(f)})`);
await page.selectOption('select[name=by]', 'name').catch(() => {});
await page.keyboard.type('шев');
await navigate('Enter');
await shot('2-results');

await tabTo((x) => x.tag === 'A' && /^\/persons\/[0-9a-f-]{36}$/.test(x.href ?? ''), 'the first result');
await navigate('Enter');
await shot('3-dossier');

await tabTo((x) => x.tag === 'A' && /\/applications\/new$/.test(x.href ?? ''), 'the new-application link');
await navigate('Enter');
await shot('4-application-form');

// Submit the form untouched: the error summary must take focus and link to fields.
await tabTo((x) => x.tag === 'BUTTON' && !/logout|sign out|вийти/i.test(x.text), 'the submit button', 150);
await navigate('Enter');
await shot('5-errors');
const summary = await page.$('[data-error-summary] a');
if (!summary) fail('no error summary with links after an empty submission');
f = await tabTo((x) => x.tag === 'A' && (x.href ?? '').startsWith('#'), 'an error link', 20);
await page.keyboard.press('Enter');
const target = await page.evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute('name'));
if (!target) fail('following an error link did not move focus to the field');

// A visible focus indicator on the focused control.
const outline = await page.evaluate(() => {
  const s = getComputedStyle(document.activeElement);
  return `${s.outlineStyle} ${s.outlineWidth} ${s.boxShadow}`;
});
if (/^none 0px none$/.test(outline)) fail(`focused control has no visible focus style (${outline})`);

console.log('keyboard test passed: sign-in, search, dossier, form 1, error summary — keyboard only');
await browser.close();
