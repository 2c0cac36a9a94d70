// A citizen on a phone estimates their pension: the form has a label for every
// field, a wrong figure is named next to its field, the estimate comes with
// where its figures came from, a what-if answers without pressing the button,
// nothing scrolls sideways, and axe-core finds no accessibility violation on
// any of the citizen pages it passes (the calculator for both countries, with
// and without an answer, the office finder and the status page).
// Usage: node calculator.mjs BASE_URL [SCREENSHOT_DIR]
import { phone } from './phone.mjs';

const [base, shots] = process.argv.slice(2);
const { browser, page, fail, shot, axe } = await phone('calculator', shots);

await page.goto(`${base}/calculator?lang=uk`);
await axe('the empty Ukrainian form');
const unlabelled = await page.$$eval('form#calculator input', (inputs) =>
  inputs.filter((i) => !document.querySelector(`label[for="${i.id}"]`) && !i.closest('fieldset')).map((i) => i.name));
if (unlabelled.length) fail(`fields without a label: ${unlabelled}`);
await shot('1-form');

// A wrong figure is named next to its field, and nothing is estimated.
await page.fill('input[name=birth_date]', '1965-05-10');
await page.fill('input[name=record_years]', 'тридцять');
await page.fill('input[name=wage_coefficient]', '1,2');
await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.press('input[name=wage_coefficient]', 'Enter')]);
const error = (await page.textContent('#c-record_years-error')) ?? '';
if (!error.includes('Введіть число')) fail(`no error next to the record: ${error}`);
await axe('the form with an error');

// Typed as people type (a comma, spaces): the estimate, with its sources.
await page.fill('input[name=record_years]', '35');
await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.press('input[name=record_years]', 'Enter')]);
const amount = ((await page.textContent('#calc-result .amount')) ?? '').replace(/\s/g, ' ');
if (!amount.includes('6 323,98 грн')) fail(`15 057,09 × 1,2 × 0,35 should be 6 323,98: ${amount}`);
await axe('the Ukrainian estimate');
await shot('2-estimate');

// What if they claim at 63? The estimate follows without the button.
await page.fill('input[name=retire_at_age]', '63');
await page.waitForFunction(() => document.querySelector('#calc-result')?.textContent.includes('10.05.2028'), null,
  { timeout: 5000 }).catch(() => fail('the estimate did not follow the later claim'));
const note = (await page.textContent('#calc-result')) ?? '';
if (!note.includes('2025')) fail(`the 2028 estimate does not say it uses the 2025 average wage: ${note}`);

// Russia: the official 2026 example, 100 points at the general age, no premium.
await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('a[href^="/calculator?country=russia"]')]);
await axe('the empty Russian form');
await page.check('input[name=sex][value=male]');
await page.fill('input[name=birth_date]', '1962-03-01');
await page.fill('input[name=points]', '100');
await page.fill('input[name=record_years]', '40');
await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.press('input[name=record_years]', 'Enter')]);
const ru = ((await page.textContent('#calc-result .amount')) ?? '').replace(/\s/g, ' ');
if (!ru.includes('25 260,69 ₽')) fail(`100 points in 2026 should be 25 260,69 ₽: ${ru}`);
await axe('the Russian estimate');
await shot('3-russia');

// Find an office: typed in any case, found with address and hours.
await page.goto(`${base}/offices?lang=en`);
await axe('the office finder');
await page.fill('input[name=town]', 'LVIV');
await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.press('input[name=town]', 'Enter')]);
const offices = await page.$$eval('ul.offices > li', (l) => l.map((li) => li.textContent));
if (!offices.length || !offices.every((o) => /Lviv/i.test(o) && /Mon–Thu/.test(o))) fail(`offices in Lviv: ${offices}`);
// Each office lists what it receives for, each a link to its free times.
const services = await page.$$eval('ul.offices > li', (l) => l.map((li) => li.querySelectorAll('ul.services a[href^="/appointments?office="]').length));
if (!services.every((n) => n > 0)) fail(`an office without services to book: ${services}`);
await axe('the offices found');

// An office with its own reception: Drohobych's second centre takes no pension applications.
await page.goto(`${base}/offices?lang=en&town=Drohobych`);
const own = await page.$$eval('ul.offices > li', (l) => l.map((li) => [...li.querySelectorAll('ul.services a')].map((a) => a.getAttribute('href'))));
if (own.length !== 2 || !own[0].some((h) => h.includes('pension_assignment')) || own[1].some((h) => h.includes('pension_assignment'))) {
  fail(`Drohobych's centres' services: ${JSON.stringify(own)}`);
}
await axe('an office with its own reception');

await page.goto(`${base}/status?lang=uk`);
await axe('the status page');

await browser.close();
console.log('calculator test passed');
