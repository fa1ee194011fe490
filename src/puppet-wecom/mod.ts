export { PuppetWecom } from './puppet.ts'
export type { PuppetWecomOptions } from './puppet.ts'
export { WecomAuthError, WecomSendError } from './errors.ts'
