import { createHash } from 'node:crypto'

/** A 32-bit number from a string, the same on every instance: for deterministic shuffles and tie-breaks. */
export function stableHash(s: string): number {
  return createHash('sha1').update(s).digest().readUInt32BE(0)
}

/** A short id from parts, the same on every instance and restart. */
export function stableId(prefix: string, ...parts: string[]): string {
  return `${prefix}${createHash('sha1').update(parts.join('\u0000')).digest('hex').slice(0, 10)}`
}
