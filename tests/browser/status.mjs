// A citizen on a phone checks where their document is, by keyboard and touch
// alike: the number field has focus, the date of birth is a date field, the
// answer names the milestone and the expected date, the progress line marks
// the current step, nothing scrolls sideways, and English is one link away.
// Usage: node status.mjs BASE_URL NUMBER BIRTH_DATE [SCREENSHOT_DIR]
// Env: CHROMIUM (default /usr/bin/chromium).
import { chromium } from 'playwright-core';

const [base, number, born, shots] = process.argv.slice(2);

function fail(msg) {
  console.error(`status test FAILED: ${msg}`);
  process.exit(1);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
// A small phone.
const page = await browser.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
page.on('pageerror', (e) => fail(`script error: ${e.message}`));
const shot = async (name) => { if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true, timeout: 10000 }); };
const sideways = () => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);

await page.goto(`${base}/status?lang=uk`);
await page.waitForFunction(() => document.activeElement?.name === 'number', null, { timeout: 3000 }).catch(() => {});
const focused = await page.evaluate(() => document.activeElement?.name);
if (focused !== 'number') fail(`the number field is not focused on load (${focused})`);
if (await sideways()) fail('the form scrolls sideways on a phone');
const kind = await page.getAttribute('input[name=birth_date]', 'type');
if (kind !== 'date') fail(`the date of birth is not a date field (${kind})`);
for (const name of ['number', 'birth_date']) {
  const labelled = await page.evaluate((n) => {
    const input = document.querySelector(`input[name=${n}]`);
    return !!(input && input.id && document.querySelector(`label[for="${input.id}"]`));
  }, name);
  if (!labelled) fail(`the ${name} field has no label`);
}
await shot('1-form');

await page.keyboard.type(number.replaceAll('-', ' '));
await page.fill('input[name=birth_date]', born);
await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.press('input[name=birth_date]', 'Enter')]);
const heading = (await page.textContent('#status-heading')) ?? '';
if (!heading.includes(number)) fail(`the answer does not name the document: ${heading}`);
const body = (await page.textContent('main')) ?? '';
if (!/Очікувана дата готовності — \d\d\.\d\d\.\d{4}/.test(body)) fail(`no expected date: ${body}`);
const current = await page.$$eval('ol.progress li[aria-current=step]', (l) => l.length);
if (current !== 1) fail(`the progress line marks ${current} current steps`);
if (await sideways()) fail('the answer scrolls sideways on a phone');
await shot('2-answer');

// The same answer in English, one link away.
await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('a[href^="/lang/en"]')]);
const en = (await page.textContent('h1')) ?? '';
if (!en.includes('Where is my document?')) fail(`the English page did not come back: ${en}`);

await browser.close();
console.log('status test passed');
