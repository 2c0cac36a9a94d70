// A share in two browser windows, as the README's tour walks it: the citizen's
// wallet (phone-sized) shows a code; the specialist types it at the counter
// (the check digit is judged as they type); the wallet hears of the request
// live, the citizen approves with the PIN; the counter page follows the
// status without being reloaded by the test and shows the verified copy.
// Usage: node sharing.mjs FUND_URL HUB_URL WALLET_LOGIN SCREENSHOT_DIR
// Env: CHROMIUM (default /usr/bin/chromium).
import { chromium } from 'playwright-core';

const [fund, hub, citizen, shots] = process.argv.slice(2);
const staffPassword = 'demo-dossier-2026';
const walletPassword = 'demo-wallet-2026';
const pin = '1234';

function fail(msg) {
  console.error(`sharing browser test FAILED: ${msg}`);
  process.exit(1);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
// Two contexts: the citizen's phone and the specialist's desk share no cookies.
const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })).newPage();
const desk = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
for (const p of [phone, desk]) p.on('pageerror', (e) => fail(`script error: ${e.message}`));
const shot = (page, name) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true, timeout: 10000 });
const text = (page, sel) => page.locator(sel).first().innerText();

// The citizen signs in to the wallet and opens the taxpayer card's code.
await phone.goto(`${hub}/wallet`);
await phone.fill('#login', citizen);
await phone.fill('#password', walletPassword);
await Promise.all([phone.waitForNavigation(), phone.click('button[type=submit]')]);
await shot(phone, 'wallet-1-documents');
await Promise.all([phone.waitForNavigation(), phone.click('form[action$="/taxpayer-card/code"] button')]);
const code = (await text(phone, '.digits')).replace(/\s/g, '');
if (!/^[0-9]{13}$/.test(code)) fail(`the wallet shows no 13-digit code (${code})`);
if ((await phone.locator('.barcode svg').count()) !== 1) fail('no barcode image');
await phone.waitForFunction(() => /^[0-2]:[0-5][0-9]$/.test(document.getElementById('countdown').textContent));
await shot(phone, 'wallet-2-code');

// The specialist signs in and opens the counter page.
await desk.goto(`${fund}/login`);
await desk.fill('input[name=login]', 'specialist');
await desk.fill('input[name=password]', staffPassword);
await Promise.all([desk.waitForNavigation(), desk.keyboard.press('Enter')]);
await desk.goto(`${fund}/sharing`);
// A mistyped last digit is caught as it is typed.
const wrong = code.slice(0, 12) + String((Number(code[12]) + 1) % 10);
await desk.locator('#barcode').pressSequentially(wrong);
const checksum = await desk.locator('#barcode').getAttribute('data-msg-checksum');
if ((await text(desk, '#barcode-check')) !== checksum) fail('a wrong check digit is not flagged while typing');
await shot(desk, 'counter-1-wrong-check-digit');
await desk.fill('#barcode', '');
await desk.locator('#barcode').pressSequentially(code);
const ok = await desk.locator('#barcode').getAttribute('data-msg-ok');
if ((await text(desk, '#barcode-check')) !== ok) fail('a correct code is not accepted while typing');
await desk.selectOption('#document_type', 'taxpayer-card');
await Promise.all([desk.waitForNavigation(), desk.click('#sharing-form button[type=submit]')]);
if (!/\/sharing\/requests\/[0-9a-f-]{36}$/.test(new URL(desk.url()).pathname)) fail(`no request page (${desk.url()})`);
const status = () => desk.locator('#status-text').getAttribute('data-status');
if ((await status()) !== 'waiting_consent') fail(`request is ${await status()}, not waiting for consent`);
await shot(desk, 'counter-2-waiting');

// The wallet hears of the request live and opens it.
const incoming = phone.locator('#incoming a');
await incoming.waitFor({ timeout: 20000 });
await Promise.all([phone.waitForNavigation(), incoming.click()]);
const card = phone.locator('li.request', { has: phone.locator('form.approve') }).first();
const cardText = await card.innerText();
if (!cardText.includes('Пенсійний фонд України')) fail(`the request does not name the fund: ${cardText}`);
await card.locator('input[name=pin]').fill(pin);
await shot(phone, 'wallet-3-request');
await Promise.all([phone.waitForNavigation(), card.locator('form.approve button').click()]);
await shot(phone, 'wallet-4-approved');

// The counter page reaches "delivered" on its own and shows the verified copy.
await desk.waitForSelector('#status-text[data-status=delivered]', { timeout: 60000 });
await desk.waitForSelector('.verdict');
const verdictClass = await desk.locator('.verdict').getAttribute('class');
if (!/\bvalid\b/.test(verdictClass ?? '')) fail(`the copy is not shown as valid (${verdictClass})`);
await shot(desk, 'counter-3-delivered');

await browser.close();
console.log('sharing browser test passed');
