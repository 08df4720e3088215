// Verifies a circle's receipts and checkpoints against a running server.
// Usage: npm run verify-receipts -- --base-url http://localhost:3000 --circle ID [--token T] [--key-id K]
import { runVerifyReceipts } from '../transparency/receipts/verify-receipts-cli.js';

process.exitCode = await runVerifyReceipts(process.argv.slice(2));
