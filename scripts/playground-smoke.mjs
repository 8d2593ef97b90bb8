// Drives Microsoft 365 Agents Playground's web UI (headless Chromium, playwright-core) against the bot, as a person
// would, and saves a screenshot of each step. Run by scripts/playground-smoke.sh, which starts the bot and Playground.
//
//   node scripts/playground-smoke.mjs <playground-url> <screenshot-dir>
//
// Exits non-zero with the step that failed; the screenshot of the failing page is saved as failure.png.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// playwright-core lives wherever the shell script installed it (ES modules ignore NODE_PATH).
const playwrightEntry = process.env.PLAYWRIGHT_CORE_DIR
  ? pathToFileURL(path.join(process.env.PLAYWRIGHT_CORE_DIR, 'index.mjs')).href
  : 'playwright-core';
const { chromium } = await import(playwrightEntry);

const playgroundUrl = process.argv[2] ?? 'http://localhost:56150';
const outDir = process.argv[3] ?? 'artifacts/playground';
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const stepTimeout = Number(process.env.PLAYGROUND_STEP_TIMEOUT_MS ?? 30000);

// Playground's compose box joins pasted lines into one (it keeps only text nodes), so the header block goes in as a
// custom activity, exactly as a Teams client would deliver a multi-line message.
const headerBlock = [
  'Received: from smtp.payroll-update.example (smtp.payroll-update.example [192.0.2.77])',
  '\tby mx2.contoso.example with ESMTP id 81c0ffee; Mon, 11 May 2026 16:02:44 +0000',
  'Received: from [10.8.0.12] (unknown [10.8.0.12])',
  '\tby smtp.payroll-update.example with ESMTPSA id aa01; Mon, 11 May 2026 15:58:02 +0000',
  'Authentication-Results: mx2.contoso.example;',
  '\tspf=softfail smtp.mailfrom=payroll-update.example;',
  '\tdkim=fail header.d=payroll-update.example;',
  '\tdmarc=fail header.from=contoso-payroll.example',
  'From: "Contoso Payroll" <payroll@contoso-payroll.example>',
  'Reply-To: payroll.desk@freemail.example',
  'Subject: Updated salary statement - confirm your bank details',
  'Date: Mon, 11 May 2026 15:57:40 +0000',
].join('\n');

fs.mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({
  executablePath: chromiumPath,
  // As root, without a sandbox; no background networking (the machine has no Internet and Chromium would retry).
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
page.setDefaultTimeout(stepTimeout);

let step = 'open Playground';
const shot = async (name) => {
  const file = path.join(outDir, name);
  await page.screenshot({ path: file, fullPage: false });
  console.log(`  screenshot ${file}`);
};
const say = async (text) => {
  const box = page.locator('[data-lexical-editor="true"]');
  await box.click();
  await page.keyboard.insertText(text);
  await page.keyboard.press('Enter');
};
// Cards render as Adaptive Cards in the chat pane; waiting on their text is waiting on the bot's answer.
const card = (text) => page.locator('.ac-adaptiveCard').filter({ hasText: text }).last();

try {
  await page.goto(playgroundUrl, { waitUntil: 'networkidle' });

  step = 'welcome card after install';
  await card('I am ChatOpsBot').waitFor();
  await shot('01-welcome.png');
  console.log('ok: the welcome card arrived after installationUpdate/conversationUpdate');

  step = 'help answers with a card';
  await say('help');
  const help = card('ChatOpsBot commands');
  await help.waitFor();
  await help.scrollIntoViewIfNeeded();
  await shot('02-help.png');
  console.log('ok: help answered with the help card');

  step = "the help card's button reaches the bot";
  await help.getByRole('button', { name: 'Who am I?' }).click();
  const whoami = card('Roles are granted to this id');
  await whoami.waitFor();
  await whoami.scrollIntoViewIfNeeded();
  await shot('03-button-whoami.png');
  console.log("ok: the help card's Who am I? button (Action.Submit) reached the bot and it answered");

  step = 'vip check answers with a card';
  await say('vip check "Jane Doe" jane@evil.example');
  const vip = card('jane@evil');
  await vip.waitFor();
  await vip.scrollIntoViewIfNeeded();
  await shot('04-vip-check.png');
  console.log('ok: vip check answered with the impersonation card');

  step = 'a pasted header block (custom activity) answers with a card';
  await page.getByText('Mock an Activity').click();
  await page.getByText('Custom activity', { exact: true }).click();
  const editor = page.locator('.monaco-editor').first();
  await editor.waitFor();
  await editor.click();
  // The template is a complete activity (ids, conversation, service URL) ending in "type": "<custom-activity-type>"
  // and "}": replace just that line, so the activity stays addressed like any other.
  await page.keyboard.press('Control+End');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Home');
  // Pasted, not typed: typing into the editor would auto-close quotes.
  await page.locator('.monaco-editor textarea').first().evaluate((textarea, text) => {
    const clipboard = new DataTransfer();
    clipboard.setData('text/plain', text);
    textarea.dispatchEvent(new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }));
  }, `"type": "message", "text": ${JSON.stringify(`headers\n${headerBlock}`)}`);
  await page.getByRole('button', { name: 'Send activity' }).click();
  const headers = card('Headers:');
  await headers.waitFor();
  await headers.scrollIntoViewIfNeeded();
  await shot('05-headers.png');
  console.log('ok: the pasted header block answered with the headers card');

  console.log('Playground smoke: all steps passed');
} catch (error) {
  console.error(`FAILED at step: ${step}\n${error.message.split('\n')[0]}`);
  await page.screenshot({ path: path.join(outDir, 'failure.png') }).catch(() => {});
  process.exitCode = 1;
} finally {
  await browser.close();
}
