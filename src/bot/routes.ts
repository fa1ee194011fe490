import type { Handler } from './context.ts'
import { showHelp, rejectUnknownCommand } from '../handlers/show-help.ts'

/**
 * Everything the bot reacts to, in order. A message reaches this chain only if it was said in
 * a configured group (@-mentioning the bot or starting with #) or privately by a member.
 */
export const routes: readonly Handler[] = [
  showHelp,               // #帮助
  rejectUnknownCommand,   // any other #命令
]
