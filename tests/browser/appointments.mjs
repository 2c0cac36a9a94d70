// A citizen on a phone books a visit without registration: from the office
// finder to the office's free times, a missing time and name named where they
// belong, a time tapped and a contact given, the code shown once; then, with
// the code typed loosely, the visit moved and cancelled. Nothing scrolls
// sideways, and axe-core finds no accessibility violation on any page passed.
// Usage: node appointments.mjs BASE_URL [SCREENSHOT_DIR]
import { phone } from './phone.mjs';

const [base, shots] = process.argv.slice(2);
const { browser, page, fail, shot, axe } = await phone('appointments', shots);
const submit = (selector) => Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
// A booking closer than 24 hours may no longer be moved or cancelled, and this one is moved and
// cancelled whatever the hour the test runs at: the citizen taps a time at least two Kyiv days
// ahead (three in UTC), opening its day first as a person would.
const earliest = new Date(Date.now() + 3 * 86400e3).toISOString().slice(0, 10);
const tapLaterTime = async (times, except = '') => {
  const [id, value] = (await page.$$eval(`${times} input[name=starts_at]`,
    (inputs, [from, not]) => inputs.filter((i) => i.value.slice(0, 10) >= from && i.value !== not).map((i) => [i.id, i.value])[0],
    [earliest, except])) ?? [];
  if (!id) fail(`no free time from ${earliest} in ${times}`);
  const day = page.locator('details', { has: page.locator(`#${id}`) });
  if (!(await day.evaluate((d) => d.open))) await day.locator('summary').click();
  await page.click(`label[for="${id}"]`);
  return value;
};

// From the office finder to the office's free times.
await page.goto(`${base}/offices?lang=uk&town=Львів`);
await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('ul.offices li a[href^="/appointments"]')]);
await axe('the free times');
if ((await page.$$('#a-times input[name=starts_at]')).length === 0) fail('no free times shown');
await shot('1-times');

// Nothing chosen, no name: both named, nothing booked.
await submit('form[method=post] button[type=submit]');
const summary = (await page.textContent('.error-summary')) ?? '';
if (!summary.includes('Оберіть один із вільних часів')) fail(`the missing time is not named: ${summary}`);
if (!(await page.textContent('#a-name-error'))?.length) fail('the missing name is not named next to its field');
await axe('the form with errors');

// A time tapped, a name and a phone: booked, with the code shown once.
const booked = await tapLaterTime('#a-times');
await page.fill('input[name=name]', 'Олена Коваль');
await page.fill('input[name=phone]', '067 123 45 67');
await submit('form[method=post] button[type=submit]');
const code = ((await page.textContent('p.code')) ?? '').trim();
if (!/^[0-9A-Z]{5}-[0-9A-Z]{5}$/.test(code)) fail(`no booking code shown: "${code}"`);
await axe('the confirmation');
await shot('2-booked');

// Later, with the code typed loosely: the booking, moved, then cancelled.
await page.goto(`${base}/appointments/manage?lang=uk`);
await axe('the code form');
await page.fill('input[name=code]', code.toLowerCase().replace('-', ' '));
await submit('form[method=post] button[type=submit]');
if (!((await page.textContent('dl.facts')) ?? '').includes('Олена Коваль')) fail('the booking is not shown by its code');
await axe('the booking');
const before = (await page.textContent('dl.facts dd')) ?? '';
await tapLaterTime('#m-times', booked);
await submit('form[action^="/appointments/move"] button');
if (!((await page.textContent('.notice')) ?? '').includes('перенесено')) fail('no word that the booking moved');
const after = (await page.textContent('dl.facts dd')) ?? '';
if (after === before) fail(`the time did not change: ${before}`);
await axe('the moved booking');
await submit('form[action^="/appointments/cancel"] button');
if (!((await page.textContent('main')) ?? '').includes('Цей запис скасовано')) fail('no word that the booking is cancelled');
await axe('the cancelled booking');
await shot('3-cancelled');

// A wrong code is told, not a blank page.
await page.goto(`${base}/appointments/manage?lang=en`);
await page.fill('input[name=code]', 'ZZZZZ-ZZZZZ');
await submit('form[method=post] button[type=submit]');
if (!((await page.textContent('.error-summary')) ?? '').includes('No appointment has this code')) fail('a wrong code is not told');
await axe('a wrong code');

await browser.close();
console.log('appointments test passed');
