export { PuppetWecom } from './puppet.ts'
export type { PuppetWecomOptions, AnswerFeedback } from './puppet.ts'
export { WecomAuthError, WecomSendError, WecomNotActivatedError, WecomUnconfirmedError, WecomOfflineError } from './errors.ts'
export { MAX_STREAM_BYTES } from './replies.ts'
