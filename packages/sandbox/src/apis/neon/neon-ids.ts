import { randomBytes, randomInt } from 'node:crypto';

const ADJECTIVES = [
  'aged',
  'bold',
  'calm',
  'dark',
  'eager',
  'fancy',
  'gentle',
  'hidden',
  'icy',
  'jolly',
  'keen',
  'lively',
  'misty',
  'noisy',
  'odd',
  'proud',
  'quiet',
  'rapid',
  'shy',
  'tiny',
  'urban',
  'vivid',
  'wispy',
  'young',
];
const NOUNS = [
  'salad',
  'meadow',
  'river',
  'forest',
  'cloud',
  'stone',
  'field',
  'lake',
  'wave',
  'hill',
  'leaf',
  'moon',
  'star',
  'snow',
  'rain',
  'sun',
  'wind',
  'fire',
  'bird',
  'tree',
  'sea',
  'dust',
  'frost',
  'brook',
];

/**
 * A Neon-style id (`br-aged-salad-637688`, `ep-wispy-meadow-118737`, project `calm-river-302709`)
 * not yet taken according to `taken`.
 */
export function neonId(prefix: 'br' | 'ep' | '', taken: (id: string) => boolean): string {
  for (;;) {
    const words = `${pick(ADJECTIVES)}-${pick(NOUNS)}-${randomInt(100_000, 1_000_000)}`;
    const id = prefix ? `${prefix}-${words}` : words;
    if (!taken(id)) return id;
  }
}

/** A fresh role password in Neon's `npg_` form. Returned once to the caller, never stored. */
export function neonPassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  return `npg_${[...randomBytes(12)].map((byte) => alphabet[byte % alphabet.length]).join('')}`;
}

function pick(words: readonly string[]): string {
  return words[randomInt(words.length)] as string;
}
