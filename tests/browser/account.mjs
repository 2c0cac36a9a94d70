// A citizen on a phone signs in to the fund's personal account through the
// wallet (the hub as identity provider): the account's sign-in page, the
// wallet's login, the consent to tell the fund who they are, and the account
// with their own record and their ward's; then an e-application, signed with the PIN on the
// wallet's page and back at the fund as submitted; and the district officer deciding one in the
// inbox. axe-core finds no violation on any of the pages,
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

// An e-application for the citizen themself: the form, the wallet's signing page, back at the fund.
await page.goto(`${base}/account/apply?lang=uk`);
await axe('the application form');
await page.check('#kind-delivery_change');
await page.check('#delivery-bank');
await page.fill('#iban', 'UA21 3223 1300 0002 6007 2335 6600 2');
await submit('form[action="/account/apply"] button[type=submit]');
if (!(await page.textContent('.error-summary'))?.includes('IBAN')) fail('a mistyped IBAN is not named');
await axe('the application form with its errors');
await shot('5-apply-errors');
await page.fill('#iban', 'UA21 3223 1300 0002 6007 2335 6600 1');
await submit('form[action="/account/apply"] button[type=submit]');
if (!page.url().includes('/wallet/')) fail(`not at the wallet to sign: ${page.url()}`);
if (await page.$('#password')) {
  // The wallet's cookie is strict: coming from the fund, the citizen signs in to the wallet again.
  await page.fill('#login', login);
  await page.fill('#password', password);
  await submit('form[action="/wallet/login"] button[type=submit]');
}
if (!page.url().includes('/wallet/sign/')) fail(`not at the signing page: ${page.url()}`);
if (!(await page.textContent('main'))?.includes('ЗАЯВА ПРО ЗМІНУ СПОСОБУ ВИПЛАТИ ПЕНСІЇ')) fail('the signing page does not show the text');
await axe('the wallet\'s signing page');
await shot('6-wallet-sign');
await page.fill('#pin', '1234');
await submit('form[action^="/wallet/sign/"] button.primary');
if (!page.url().startsWith(`${base}/account/applications/`)) fail(`not back at the fund: ${page.url()}`);
if (!(await page.textContent('main'))?.includes('Подано, розглядається')) fail('the application is not submitted');
await axe('the submitted application');
await shot('7-submitted');
await page.goto(`${base}/account`);

// Signed out, the account is closed again.
await submit('form[action="/account/logout"] button[type=submit]');
if (!(await page.content()).includes('/account/login')) fail('still signed in after signing out');
if (!(await page.textContent('h1'))?.includes('Особистий кабінет')) fail('the account forgot the citizen\'s language');

// The district's officer decides the demo's e-applications in the inbox (on a phone too).
await page.goto(`${base}/login`);
await page.fill('input[name=login]', 'district');
await page.fill('input[name=password]', 'demo-dossier-2026');
await submit('form[method=post] button[type=submit]');
await page.goto(`${base}/inbox?lang=uk`);
await axe('the inbox');
await shot('8-inbox');
await submit('main ul.records a[href^="/inbox/"]');
await axe('an application in the inbox');
await page.check('#decision-refused');
await submit('form[action$="/decision"] button[type=submit]');
if (!(await page.textContent('#decide-error'))?.includes('вмотивована')) fail('a refusal without reasons is not refused');
await axe('a refusal without reasons');
await page.check('#decision-granted');
await submit('form[action$="/decision"] button[type=submit]');
if (!(await page.$('a[href$="/decision.pdf"]'))) fail('the decision is not offered');
await axe('a decided application');
await shot('9-decided');
// The pension assignment left in the inbox: granting it asks how much and from when; a slip is
// named and what was typed stays in the form.
await page.goto(`${base}/inbox?lang=uk`);
const assignment = page.locator('main ul.records li', { hasText: 'призначення пенсії' }).locator('a[href^="/inbox/"]');
await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), assignment.first().click()]);
if (!(await page.$('#amount'))) fail('a pension assignment asks for the amount');
if (!(await page.inputValue('#since'))) fail('the first day is not offered (the application\'s day)');
await page.check('#decision-granted');
await page.fill('#amount', '5 123,4O');
await submit('form[action$="/decision"] button[type=submit]');
if (!(await page.$('#decide-error'))) fail('a mistyped amount is not named');
if ((await page.inputValue('#amount')) !== '5 123,4O') fail('the typed amount was lost');
await axe('a mistyped amount');
await page.check('#decision-granted');
await page.fill('#amount', '5 123,40');
await submit('form[action$="/decision"] button[type=submit]');
if (!(await page.$('a[href$="/decision.pdf"]'))) fail('the pension\'s decision is not offered');
if (!/5\s123,40\s₴/.test(await page.textContent('main') ?? '')) fail('the pension paid is not shown');
await axe('a pension granted');
await browser.close();
console.log('account test passed');
