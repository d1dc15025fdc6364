// Looking for secrets where none may be: storage, files, pages and logs, in every encoding
// Halo could have used to write one.
import assert from 'node:assert/strict';

/**
 * Every spelling of `secret` Halo could have written: plain and hex (compared in any case),
 * and base64 at each byte alignment (compared exactly, standard and URL-safe alphabets).
 */
export function encodings(secret) {
  const bytes = Buffer.from(secret, 'utf8');
  const anyCase = [secret, bytes.toString('hex')];
  const exact = [];
  for (const shift of [0, 1, 2]) {
    const text = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    // Only the characters that depend on the secret alone, whatever precedes or follows it.
    const inner = text.slice(Math.ceil((shift * 4) / 3) + 1, text.length - 4);
    if (inner.length >= 6) exact.push(inner, inner.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return { anyCase, exact };
}

/** Fails, naming `where` and the spelling, if `text` holds any of `secrets` in any encoding. */
export function assertNoSecret(text, where, secrets) {
  const lower = text.toLowerCase();
  for (const secret of secrets) {
    const { anyCase, exact } = encodings(secret);
    for (const form of anyCase) {
      assert.ok(!lower.includes(form.toLowerCase()), `${where} holds a secret as "${form}"`);
    }
    for (const form of exact) {
      assert.ok(!text.includes(form), `${where} holds a secret in base64 as "${form}"`);
    }
  }
}
