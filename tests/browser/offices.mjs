// An administrator sets up an office (`/offices/manage` → an office's settings):
// mistakes in the hours and a slot that is not a number are each named beside
// their field and nothing is saved; then the office opens on Saturdays for
// advice only, and the public office finder offers exactly that. axe-core finds
// no violation on any page, on a phone.
// Usage: node offices.mjs BASE_URL [SCREENSHOT_DIR]
import { phone } from './phone.mjs';

const [base, shots] = process.argv.slice(2);
const { browser, page, fail, shot, axe } = await phone('offices', shots);
const save = () => Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form[action$="/settings"] button[type=submit]')]);
const reception = async (id) => (await (await fetch(`${base}/api/v1/offices`)).json()).find((o) => o.id === id)?.reception;

await page.goto(`${base}/login?lang=en`);
await page.fill('input[name=login]', 'admin');
await page.fill('input[name=password]', 'demo-dossier-2026');
await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('main form[method=post] button[type=submit]')]);
// An administrator lands where their work is: the offices (the menu names them too).
if (!page.url().endsWith('/offices/manage')) fail(`an administrator lands on ${page.url()}`);
if (!(await page.$('nav a[href="/offices/manage"]'))) fail('the menu has no Offices for an administrator');
await axe('the list of offices');

// Lviv's first service centre: it has an address, and receives by the fund's default.
const link = page.locator('ul.records li h2 a', { hasText: 'Service centre 1 (Frankivskyi' });
const href = await link.getAttribute('href');
const id = Number(href.match(/\/offices\/(\d+)\/settings/)[1]);
const before = await reception(id);
await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), link.click()]);
if (!(await page.isChecked('#o-default_reception'))) fail('an office without its own hours is not shown on the default');
await axe('the settings of an office');

// Mistakes: named beside their fields, and nothing saved.
await page.uncheck('#o-default_reception');
await page.fill('#o-hours-mon', '17:00-08:00');
await page.fill('#o-slot_minutes', 'half an hour');
await save();
for (const f of ['#o-hours-mon-error', '#o-slot_minutes-error']) {
  if (!(await page.$(f))) fail(`no error beside ${f}`);
}
if (!(await page.textContent('.error-summary'))?.includes('Monday')) fail('the summary does not name Monday');
await axe('the settings with their mistakes');
await shot('1-mistakes');
if (JSON.stringify(await reception(id)) !== JSON.stringify(before)) fail('a refused form changed the office');

// Saturdays 10:00–14:00 only, advice only, one place.
for (const d of ['mon', 'tue', 'wed', 'thu', 'fri', 'sun']) await page.fill(`#o-hours-${d}`, '');
await page.fill('#o-hours-sat', '10:00-14:00');
await page.fill('#o-pause', '');
await page.fill('#o-slot_minutes', '30');
await page.fill('#o-places', '1');
for (const s of ['pension_assignment', 'recalculation', 'certificate', 'documents']) await page.uncheck(`#o-service-${s}`);
await page.check('#o-service-consultation');
await save();
if (!page.url().endsWith('/offices/manage')) fail(`not saved: ${page.url()} ${await page.textContent('main')}`);
const after = await reception(id);
if (JSON.stringify(after.hours) !== '{"sat":"10:00-14:00"}' || JSON.stringify(after.services) !== '["consultation"]' || after.places !== 1) {
  fail(`saved as ${JSON.stringify(after)}`);
}

// The public office finder offers advice there, and nothing else.
await page.goto(`${base}/offices?lang=en&town=Lviv`);
const services = await page.$$eval(`ul.services a[href^="/appointments?office=${id}&"]`, (l) => l.map((a) => a.getAttribute('href')));
if (services.length !== 1 || !services[0].includes('service=consultation')) fail(`offered: ${services}`);
await shot('2-finder');
await browser.close();
console.log('offices test passed');
