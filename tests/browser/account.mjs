// A citizen on a phone signs in to the fund's personal account through the
// wallet (the hub as identity provider): the account's sign-in page, the
// wallet's login, the consent to tell the fund who they are, and the account
// with their own record and their ward's. axe-core finds no violation on any of the pages,
// the fund's or the wallet's, and nothing scrolls sideways.
// Usage: node account.mjs BASE_URL WALLET_LOGIN WALLET_PASSWORD [SCREENSHOT_DIR]
import { phone } from './phone.mjs';

const [base, login, password, shots] = process.argv.slice(2);
const { browser, page, fail, shot, axe } = await phone('account', shots);
const submit = (selector) => Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);

await page.goto(`${base}/account?lang=uk`);
await axe('the account before signing in');
await submit('a[href^="/account/login"]');
if (!page.url().includes('/wallet/authorize')) fail(`not at the wallet: ${page.url()}`);
await axe('the wallet login');
await shot('1-wallet-login');

await page.fill('#login', login);
await page.fill('#password', password);
await submit('form[action="/wallet/login"] button[type=submit]');
if (!(await page.textContent('main'))?.includes('Пенсійний фонд України')) fail('the consent page does not name the fund');
await axe('the consent page');
await shot('2-consent');

await submit('button[name=decision][value=allow]');
if (!page.url().startsWith(`${base}/account`)) fail(`not back at the fund: ${page.url()}`);
const main = (await page.textContent('main')) ?? '';
if (!main.includes(login)) fail('the account does not show the citizen\'s own record');
await axe('the account');
await shot('3-account');

// The demo's citizen is also a minor's guardian: the ward's tab shows the ward's record.
const ward = await page.$('nav ul.whose a[href^="/account?for="]');
if (!ward) fail('the ward is not offered');
await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), ward.click()]);
if (!(await page.textContent('main'))?.includes('законний представник')) fail('the ward\'s page does not say on whose behalf');
await axe('the ward\'s record');
await shot('4-ward');

// Signed out, the account is closed again.
await submit('form[action="/account/logout"] button[type=submit]');
if (!(await page.content()).includes('/account/login')) fail('still signed in after signing out');
if (!(await page.textContent('h1'))?.includes('Особистий кабінет')) fail('the account forgot the citizen\'s language');
await browser.close();
console.log('account test passed');
