// The production pages in headless Chromium: the central officer's dashboard
// (due today, late by office, this week's batches with the late one flagged),
// an acceptance-transfer act, the card queue and its dispatch; then the bank
// operator, who lands on its card queue and reports a step with the wrong
// identification and sees the refusal on the page.
// Usage: node production.mjs BASE_URL [SCREENSHOT_DIR]
import { chromium } from 'playwright-core';

const base = process.argv[2];
const shots = process.argv[3];
const password = process.env.DOSSIER_PASSWORD ?? 'demo-dossier-2026';

function fail(msg) {
  console.error(`production test FAILED: ${msg}`);
  process.exit(1);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});

async function signIn(login) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'uk-UA' });
  const page = await context.newPage();
  page.on('pageerror', (e) => fail(`script error: ${e.message}`));
  await page.goto(`${base}/login`);
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.press('input[name=password]', 'Enter')]);
  return page;
}
const shot = async (page, name) => { if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true, timeout: 10000 }); };
const text = (page, sel) => page.locator(sel).first().innerText();

// The central production officer.
let page = await signIn('production');
await page.goto(`${base}/production`);
if (!(await text(page, 'h1')).includes('Виробництво')) fail('the dashboard heading is missing');
const batches = await page.locator('section[aria-labelledby=batches-h] tbody tr').count();
if (batches < 3) fail(`expected this week's batches, got ${batches} rows`);
// §III: the demo's applicant without a photo is counted apart, flagged, in its district's row.
if ((await page.locator('section[aria-labelledby=batches-h] tbody .without-photo').innerText()) !== '1') fail('the application waiting for a photo is not shown');
if ((await page.locator('section[aria-labelledby=submitted-h] .badge.late').count()) < 1) fail('the late batch is not flagged');
// §III.9: the demo's fixed-term certificate is listed before it expires.
if ((await page.locator('section[aria-labelledby=expiring-h] tbody tr').count()) < 1) fail('no certificate is flagged before expiry');
if ((await page.locator('section[aria-labelledby=stages-h] tbody tr').count()) < 4) fail('counts by stage are missing');
await shot(page, '1-dashboard');

await page.click('nav.sub-nav >> text=Акти приймання-передачі');
const act = page.locator('tbody a[href^="/production/acts/"]').first();
const actNo = await act.innerText();
await Promise.all([page.waitForNavigation(), act.click()]);
if (!(await text(page, 'h1')).includes(actNo)) fail(`the act page does not show ${actNo}`);
if ((await page.locator('a[href$="/pdf"]').count()) !== 1) fail('the act has no PDF link');
await shot(page, '2-act');

await page.goto(`${base}/cards`);
const before = await page.locator('tbody tr').count();
await Promise.all([page.waitForNavigation(), page.click('text=Надіслати готові картки')]);
const status = await text(page, '[role=status]');
if (!/Надіслано банкам: [1-9]/.test(status)) fail(`dispatch did not report sent cards: ${status}`);
if ((await page.locator('tbody tr').count()) < before) fail('the fund queue lost cards after dispatch');
await shot(page, '3-cards');

// The bank operator lands on its queue and reports the account opening.
page = await signIn('bank');
if (new URL(page.url()).pathname !== '/cards') fail(`the bank landed on ${page.url()}`);
await page.selectOption('select[name=stage]', 'sent_to_bank');
await Promise.all([page.waitForNavigation(), page.click('text=Показати')]);
const card = page.locator('tbody a[href^="/cards/"]').first();
await Promise.all([page.waitForNavigation(), card.click()]);
await page.fill('#surname', 'Неіснуючий');
await page.fill('#given_name', 'Тест');
await page.fill('#birth_date', '01.01.1900');
await page.fill('#tax_id', '0000000000');
await page.fill('#account', 'UA213052990000026007233566001');
await Promise.all([page.waitForNavigation(), page.click('fieldset button[type=submit]')]);
const alert = await text(page, '[role=alert]');
if (!alert.includes('Дата народження') || !alert.includes('Не збігається')) fail(`no refusal shown: ${alert}`);
if ((await page.locator('details').count()) < 1) fail('the fund\'s message to the bank is not listed');
await shot(page, '4-bank-refused');

await browser.close();
console.log('production test passed');
