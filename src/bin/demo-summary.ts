// What `npm run demo` prints when it is done: the accounts it made and where to look.
// Logins and URLs only: nothing from the vault, no access or acknowledgement tokens.
import type { DemoResult } from './demo-story.js';

export function printDemoSummary(print: (line: string) => void, baseUrl: string, result: DemoResult, info: { weeks: number; donors: number; publicReceipts: boolean }): void {
  const base = baseUrl.replace(/\/+$/, '');
  const circle = `${base}/v1/circles/${result.circleId}`;
  const { emails } = result;
  const lastDonor = emails.donors[emails.donors.length - 1];
  print('');
  print(`The demo circle has run ${info.weeks} of 15 weeks: ${info.donors} donors, 11 neighbours paid 175.00 a week, one of them replaced after finding a job.`);
  print(`Ledger check: ${result.ledgerOk ? 'all invariants hold' : 'FAILED — see GET /ledger/check'}.`);
  print('');
  print(`Logins (every account's password: ${result.password})`);
  print(`  organizer  ${emails.organizer}`);
  print(`  treasurer  ${emails.treasurer}`);
  print(`  member     ${emails.member}`);
  print(`  donors     ${emails.donors[0]}${emails.donors.length > 1 ? ` … ${lastDonor}` : ''}`);
  print('');
  print('Look at');
  print(`  API docs            ${base}/docs`);
  print(`  receipts feed       ${circle}/receipts`);
  print(`  week-by-week report ${circle}/reports/cycles/${result.cycleId}`);
  print(`  coverage            ${circle}/cycles/${result.cycleId}/coverage`);
  print(`  ledger export       ${circle}/exports/ledger.csv     (organizer, treasurer)`);
  print(`  receipts export     ${circle}/exports/receipts.csv   (organizer, treasurer)`);
  print(`  ledger check        ${circle}/ledger/check           (organizer)`);
  print('');
  if (info.publicReceipts) print('Receipts and the report are public: open them without logging in.');
  print('With a token (it lasts 15 minutes):');
  print(`  TOKEN=$(curl -s ${base}/v1/auth/login -H 'Content-Type: application/json' -d '{"email":"${emails.member}","password":"${result.password}"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).accessToken')`);
  print(`  curl -s -H "Authorization: Bearer $TOKEN" ${circle}/reports/cycles/${result.cycleId}`);
  print(`Verify the receipt chain: npm run verify-receipts -- --base-url ${base} --circle ${result.circleId} --token "$TOKEN"`);
  print('');
  print(info.publicReceipts ? "The circle's page (open it in a browser; its Verify button checks the receipts there):" : "The circle's page, opened for the demo member for 60 minutes (its Verify button checks the receipts in the browser):");
  print(`  ${base}${result.pagePath}`);
}
