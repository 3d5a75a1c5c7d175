// The payload every product benchmark sends: deterministic printable text (the base64url
// alphabet), so every target and run gets the same bytes and JSON needs no escaping in them.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** `size` characters (= bytes in UTF-8) of a fixed pattern. */
export function textPayload(size) {
  let text = '';
  for (let i = 1; i <= size; i++) text += ALPHABET[(i * 37) % ALPHABET.length];
  return text;
}
