/** Why a file could not be written: the disk is full, the place cannot be written, or another I/O error. */
export type WriteFailure = 'disk-full' | 'not-writable' | 'io'

/** The kind of a failed file write, from its errno code; undefined for errors that are not I/O. */
export function writeFailureOf(err: unknown): WriteFailure | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return undefined
  if (code === 'ENOSPC' || code === 'EFBIG' || code === 'EDQUOT') return 'disk-full'
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR' || code === 'EEXIST' || code === 'EISDIR') return 'not-writable'
  return 'io'
}
