// The circle page's "verify" button (docs/pages.md "Verify in the browser"): downloads every
// receipt and checkpoint from the public API, recomputes the hash chain with WebCrypto exactly
// as docs/receipts.md specifies (src/ledger/receipt-canonical.ts is the server's twin), checks
// the latest checkpoint's Ed25519 signature with the server's public key, and says in the
// page's language what was checked. Nothing is sent anywhere.

const HASHED = ['aliasDigest', 'amount', 'circleId', 'currency', 'cycleId', 'date', 'direction', 'donor', 'donorDigest', 'id', 'kind', 'method', 'reverses', 'seq', 'week'];
const OPTIONAL = ['category'];
const INTEGERS = new Set(['amount', 'seq', 'week']);
const GENESIS = '0'.repeat(64);
const encoder = new TextEncoder();

/** docs/receipts.md "Canonical JSON". */
export function canonicalReceipt(receipt) {
  const keys = [...HASHED, ...OPTIONAL.filter((k) => receipt[k] !== null && receipt[k] !== undefined)].sort();
  return `{${keys
    .map((key) => {
      const value = receipt[key];
      if (value === null || value === undefined) return `${JSON.stringify(key)}:null`;
      if (INTEGERS.has(key)) {
        if (!Number.isSafeInteger(value)) throw new TypeError(`${key} is not an integer`);
        return `${JSON.stringify(key)}:${value}`;
      }
      if (typeof value !== 'string') throw new TypeError(`${key} is not a string`);
      return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
    })
    .join(',')}}`;
}

/** docs/receipts.md "Checkpoints": the signed statement. */
function canonicalCheckpoint(c) {
  const s = JSON.stringify;
  return `{"circleId":${s(c.circleId)},"hash":${s(c.hash)},"keyId":${s(c.keyId)},"seq":${c.seq},"signedAt":${s(c.signedAt)},"type":"arvut-receipts-checkpoint"}`;
}

function hexToBytes(hex) {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function bytesToHex(buffer) {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function base64ToBytes(text) {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

async function sha256Hex(...parts) {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const all = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return bytesToHex(await crypto.subtle.digest('SHA-256', all));
}

/** Every item of a cursor-paged list of the API. */
async function fetchAll(url) {
  const items = [];
  let cursor = null;
  do {
    const query = `limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await fetch(`${url}${url.includes('?') ? '&' : '?'}${query}`, { headers: { Accept: 'application/json' }, credentials: 'omit' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const page = await response.json();
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** The first thing wrong with the chain, as { key, seq }, or null when it holds. */
async function checkChain(circleId, receipts) {
  let previous = null;
  for (const [index, r] of receipts.entries()) {
    const expected = index + 1;
    if (r.seq !== expected) return { key: 'verifymissing', seq: expected };
    const prevHash = previous ? previous.hash : GENESIS;
    if (r.prevHash !== prevHash || r.circleId !== circleId) return { key: 'verifybroken', seq: r.seq };
    let hash;
    try {
      hash = await sha256Hex(hexToBytes(r.prevHash), encoder.encode(canonicalReceipt(r)));
    } catch {
      return { key: 'verifyaltered', seq: r.seq };
    }
    if (hash !== r.hash) return { key: 'verifyaltered', seq: r.seq };
    previous = r;
  }
  return null;
}

async function importServerKey(keyUrl) {
  const response = await fetch(keyUrl, { headers: { Accept: 'application/json' }, credentials: 'omit' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const { keyId, publicKeyPem } = await response.json();
  const der = base64ToBytes(publicKeyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));
  const computedId = (await sha256Hex(der)).slice(0, 16);
  let key;
  try {
    key = await crypto.subtle.importKey('spki', der, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return { unsupported: true };
  }
  return { key, keyId: computedId === keyId ? keyId : null };
}

function say(box, result, kind, values) {
  const lang = document.documentElement.lang;
  const numbers = new Intl.NumberFormat(lang);
  const dates = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
  const template = box.dataset[`msg${kind.slice(0, 1).toUpperCase()}${kind.slice(1)}`] ?? '';
  const text = template.replace(/\{(\w+)\}/g, (_, name) => {
    const value = values[name];
    if (typeof value === 'number') return numbers.format(value);
    if (name === 'signedAt') return dates.format(new Date(value));
    return String(value ?? '');
  });
  result.textContent = text;
}

async function verify(box, result, button) {
  button.disabled = true;
  result.className = 'notice';
  say(box, result, 'verifying', {});
  let outcome;
  try {
    const server = await importServerKey(box.dataset.key);
    if (server.unsupported) {
      outcome = { ok: false, key: 'verifyunsupported', values: {} };
    } else {
      const circleId = box.dataset.circle;
      const receipts = (await fetchAll(box.dataset.receipts)).sort((a, b) => a.seq - b.seq);
      const checkpoints = await fetchAll(box.dataset.checkpoints);
      const broken = await checkChain(circleId, receipts);
      if (broken) {
        outcome = { ok: false, key: broken.key, values: { seq: broken.seq } };
      } else if (receipts.length === 0) {
        outcome = { ok: true, key: 'verifyempty', values: {} };
      } else {
        const latest = checkpoints[checkpoints.length - 1];
        if (!latest) {
          outcome = { ok: true, key: 'verifyokunsigned', values: { receipts: receipts.length } };
        } else {
          const signatureOk =
            server.keyId !== null &&
            latest.keyId === server.keyId &&
            latest.circleId === circleId &&
            (await crypto.subtle.verify({ name: 'Ed25519' }, server.key, base64ToBytes(latest.signature), encoder.encode(canonicalCheckpoint(latest))));
          const signed = receipts[latest.seq - 1];
          if (!signatureOk) outcome = { ok: false, key: 'verifybadsignature', values: { seq: latest.seq } };
          else if (!signed) outcome = { ok: false, key: 'verifymissing', values: { seq: latest.seq } };
          else if (signed.hash !== latest.hash) outcome = { ok: false, key: 'verifydiffers', values: { seq: latest.seq } };
          else outcome = { ok: true, key: 'verifyok', values: { receipts: receipts.length, seq: latest.seq, signedAt: latest.signedAt, keyId: latest.keyId } };
        }
      }
    }
  } catch {
    outcome = { ok: false, key: 'verifyfailed', values: {} };
  }
  result.className = `notice ${outcome.ok ? 'ok' : 'bad'}`;
  result.dataset.outcome = outcome.ok ? 'ok' : 'bad';
  say(box, result, outcome.key, outcome.values);
  button.disabled = false;
}

const box = document.getElementById('verify');
if (box) {
  const button = document.getElementById('verify-button');
  const result = document.getElementById('verify-result');
  document.getElementById('verify-noscript').hidden = true;
  button.hidden = false;
  button.addEventListener('click', () => void verify(box, result, button));
}
