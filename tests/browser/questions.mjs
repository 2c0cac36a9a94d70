// A citizen on a phone asks the fund a question without registration: the
// form, its errors named where they belong, the tracking number shown once,
// then the status page found by the number typed loosely; the district's
// officer answers it on the appeals page and the status shows the answer. axe-core finds no
// violation on any page, and nothing scrolls sideways.
// Usage: node questions.mjs BASE_URL [SCREENSHOT_DIR]
import { phone } from './phone.mjs';

const [base, shots] = process.argv.slice(2);
const { browser, page, fail, shot, axe } = await phone('questions', shots);
const submit = (selector) => Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);

await page.goto(`${base}/questions?lang=uk`);
await axe('the question form');

// Nothing filled in: the fields are named, nothing is asked.
await page.evaluate(() => document.querySelectorAll('[required]').forEach((e) => e.removeAttribute('required')));
await submit('form[method=post] button[type=submit]');
if (!(await page.$('.error-summary'))) fail('no error summary');
if (!(await page.textContent('#q-text-error'))?.length) fail('the missing question is not named next to its field');
await axe('the form with errors');
await shot('1-errors');

await page.selectOption('#q-office', { index: 1 });
await page.selectOption('#q-subject', 'record');
await page.fill('#q-text', 'Чому у 1995 році не враховано сумісництво на другому місці роботи?');
await page.fill('#q-name', 'Олена Коваль');
await page.fill('#q-email', 'olena@example.org');
await submit('form[method=post] button[type=submit]');
const code = ((await page.textContent('strong.code')) ?? '').trim();
if (!/^[0-9A-Z]{5}-[0-9A-Z]{5}$/.test(code)) fail(`no tracking number shown: "${code}"`);
await axe('the confirmation');
await shot('2-asked');

await page.goto(`${base}/questions/track?lang=uk`);
await axe('the tracking form');
await page.fill('#q-code', code.toLowerCase().replace('-', ' '));
await submit('form[method=post] button[type=submit]');
if (!(await page.textContent('main'))?.includes('Розглядається')) fail('the status is not shown');
await axe('the status');
await shot('3-status');

// The district's officer answers it on the appeals page (on a phone too); the status shows the answer.
await page.goto(`${base}/login`);
await page.fill('input[name=login]', 'district');
await page.fill('input[name=password]', 'demo-dossier-2026');
await submit('form[method=post] button[type=submit]');
await page.goto(`${base}/appeals?lang=uk`);
await axe('the appeals page');
const form = page.locator('form[action^="/appeals/questions/"]').first();
await form.locator('textarea').fill('Звіт за сумісництвом отримано, стаж доповнено.');
await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), form.locator('button[type=submit]').click()]);
await shot('4-appeals');
await page.context().clearCookies();
await page.goto(`${base}/questions/track?lang=uk`);
await page.fill('#q-code', code);
await submit('form[method=post] button[type=submit]');
if (!(await page.textContent('main'))?.includes('Звіт за сумісництвом отримано')) fail('the answer is not shown');
await axe('the answered status');
await browser.close();
console.log('questions test passed');
