export { createWebhookSender, webhookUrl, WebhookRemovedError, WebhookSendError } from './sender.ts'
export type { WebhookSender, WebhookSenderOptions } from './sender.ts'
