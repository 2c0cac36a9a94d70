// The electronic queue on a phone: a citizen booked for now checks in with
// the booking's code, and the ticket's page tells how many are ahead; the
// service centre's specialist calls the next ones to desk 4 from the office's
// queue page; the ticket's page, updating itself, says "come to desk 4"; the
// hall screen shows the call; the visit is marked served; the reception gives
// a walk-in a ticket and its page. axe-core finds no
// violation on any page, and nothing scrolls sideways.
// Usage: node queue.mjs BASE_URL CODE OFFICE_ID [SCREENSHOT_DIR]
import { phone } from './phone.mjs';

const [base, code, office, shots] = process.argv.slice(2);
const { browser, page, fail, shot, axe } = await phone('queue', shots);
const submit = (selector) => Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);

await page.goto(`${base}/queue?lang=uk`);
await axe('the check-in form');
await page.fill('#code', 'ZZZZZ-ZZZZZ');
await submit('form[method=post] button[type=submit]');
if (!(await page.$('#code-error'))) fail('a wrong code is not named');
await axe('the check-in form with its error');
await page.fill('#code', code.toLowerCase());
await submit('form[method=post] button[type=submit]');
if (!page.url().includes('/queue/ticket?t=')) fail(`no ticket page: ${page.url()}`);
const ticketUrl = page.url();
const ticket = (await page.textContent('h1 .ticket'))?.trim();
if (!ticket?.startsWith('С-')) fail(`not a certificate ticket: ${ticket}`);
if (!(await page.textContent('#queue-live'))?.includes('Перед вами в черзі')) fail('the place in the queue is not told');
await axe('the ticket page');
await shot('1-ticket');

// The specialist calls the next two to desk 4 (the one booked before, then this one).
const staff = await browser.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, bypassCSP: true });
await staff.goto(`${base}/login`);
await staff.fill('input[name=login]', 'specialist');
await staff.fill('input[name=password]', 'demo-dossier-2026');
await Promise.all([staff.waitForNavigation({ waitUntil: 'load' }), staff.click('form[method=post] button[type=submit]')]);
await staff.goto(`${base}/offices/${office}/queue?lang=uk`);
for (let i = 0; i < 2; i++) {
  await staff.fill('#desk', '4');
  await Promise.all([staff.waitForNavigation({ waitUntil: 'load' }), staff.click('form[action$="/queue/next"] button[type=submit]')]);
}
if (!(await staff.textContent('main'))?.includes(ticket)) fail('the staff page does not list the called ticket');

// A citizen without a booking: the reception gives a ticket for advice and hands over its page.
await staff.selectOption('#walk-in-service', 'consultation');
await Promise.all([staff.waitForNavigation({ waitUntil: 'load' }), staff.click('form[action$="/queue/walk-in"] button[type=submit]')]);
const walkIn = (await staff.textContent('#issued .ticket'))?.trim();
if (!walkIn?.startsWith('К-')) fail(`no walk-in ticket given: ${walkIn}`);
if (!staff.url().includes('desk=4')) fail(`the desk is not kept: ${staff.url()}`);
if (!(await staff.textContent('main'))?.includes(`${walkIn}`)) fail('the walk-in does not wait in the queue');
await axe('the staff page with a walk-in ticket given', staff);
const walkInPage = await browser.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, bypassCSP: true });
await walkInPage.goto(new URL(await staff.getAttribute('#issued a', 'href'), base).href);
if ((await walkInPage.textContent('h1 .ticket'))?.trim() !== walkIn) fail('the walk-in ticket page shows another ticket');
if (!/Перед вами в черзі|ahead of you/i.test((await walkInPage.textContent('#queue-live')) ?? '')) fail('the walk-in is not told its place');
await axe('the walk-in ticket page', walkInPage);
await walkInPage.close();

// The citizen's page updates itself (queue.js) and tells where to go.
await page.waitForFunction(() => document.getElementById('queue-live')?.textContent?.includes('вікна 4'), null, { timeout: 20000 })
  .catch(() => fail('the ticket page did not update to the call'));
await axe('the called ticket');
await shot('2-called');

await page.goto(`${base}/offices/${office}/hall?lang=uk`);
if (!(await page.textContent('#queue-live'))?.includes(ticket)) fail('the hall screen does not show the call');
await axe('the hall screen');
await shot('3-hall');

// Served: the ticket says so.
const row = staff.locator('li', { hasText: ticket }).locator('button[value=served]');
await Promise.all([staff.waitForNavigation({ waitUntil: 'load' }), row.click()]);
await page.goto(ticketUrl);
if (!(await page.textContent('#queue-live'))?.includes('Прийом завершено')) fail('the ticket is not marked seen');
await browser.close();
console.log('queue test passed');
