/**
 * HMAC-SHA256, synchronous and dependency-free (runs in browsers and Node alike). Web Crypto's
 * `crypto.subtle.sign` gives the same bytes but is asynchronous: a message with a pixel, an
 * unsubscribe link and a few tracked links needs several round trips through the crypto thread pool,
 * which made signing cost more than rendering. The inner and outer key states are computed once per
 * secret, so one short token costs two SHA-256 compressions. A test checks it against Web Crypto.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
// Scratch space, reused by every call (all calls are synchronous). Int32 throughout: V8 keeps the
// arithmetic in small integers, where Uint32 values above 2^31 would become heap numbers.
const W = new Int32Array(64);
const PAD = new Uint8Array(128);
const INNER = new Int32Array(8);
const INNER_BYTES = new Uint8Array(32);
const OUTER = new Int32Array(8);

/** One SHA-256 compression of the 64-byte block at `offset` into `state`. */
function compress(state: Int32Array, block: Uint8Array, offset: number) {
  for (let i = 0; i < 16; i++) {
    const j = offset + i * 4;
    W[i] = (block[j]! << 24) | (block[j + 1]! << 16) | (block[j + 2]! << 8) | block[j + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const a = W[i - 15]!;
    const b = W[i - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = state[0]!,
    b = state[1]!,
    c = state[2]!,
    d = state[3]!;
  let e = state[4]!,
    f = state[5]!,
    g = state[6]!,
    h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

/**
 * SHA-256 of `data` into `out`, continuing from `start` after `prefixBytes` already-compressed bytes
 * (64 for the HMAC key blocks). Whole blocks are compressed in place; only the tail is copied to pad.
 */
function digest(start: Int32Array, data: Uint8Array, prefixBytes: number, out: Int32Array): void {
  out.set(start);
  const length = data.length;
  let off = 0;
  for (; off + 64 <= length; off += 64) compress(out, data, off);
  const rest = length - off;
  const end = rest + 9 > 64 ? 128 : 64;
  PAD.fill(0, 0, end);
  PAD.set(data.subarray(off), 0);
  PAD[rest] = 0x80;
  const bits = (prefixBytes + length) * 8;
  writeWord(PAD, end - 8, Math.floor(bits / 2 ** 32));
  writeWord(PAD, end - 4, bits);
  compress(out, PAD, 0);
  if (end === 128) compress(out, PAD, 64);
}

function writeWord(bytes: Uint8Array, at: number, word: number) {
  bytes[at] = word >>> 24;
  bytes[at + 1] = word >>> 16;
  bytes[at + 2] = word >>> 8;
  bytes[at + 3] = word;
}

function toBytes(words: Int32Array, bytes: Uint8Array): Uint8Array {
  for (let i = 0; i < 8; i++) writeWord(bytes, i * 4, words[i]!);
  return bytes;
}

export const sha256 = (data: Uint8Array): Uint8Array => {
  const out = new Int32Array(8);
  digest(IV, data, 0, out);
  return toBytes(out, new Uint8Array(32));
};

export interface HmacKey {
  inner: Int32Array;
  outer: Int32Array;
}

/** Precomputes the HMAC-SHA256 key states for `secret`. */
export function hmacKey(secret: Uint8Array): HmacKey {
  const key = new Uint8Array(64);
  key.set(secret.length > 64 ? sha256(secret) : secret);
  const pad = (byte: number) => {
    const block = key.map((k) => k ^ byte);
    const state = new Int32Array(IV);
    compress(state, block, 0);
    return state;
  };
  return { inner: pad(0x36), outer: pad(0x5c) };
}

/** HMAC-SHA256(key, data), written into `out` (32 bytes) when given. */
export function hmacSha256(key: HmacKey, data: Uint8Array, out = new Uint8Array(32)): Uint8Array {
  digest(key.inner, data, 64, INNER);
  digest(key.outer, toBytes(INNER, INNER_BYTES), 64, OUTER);
  return toBytes(OUTER, out);
}
