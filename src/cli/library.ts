import type { Config } from '../config.ts'
import type { Logger } from '../log.ts'
import type { MaterialLibrary } from '../materials/types.ts'
import { createLibrary } from '../materials/library.ts'

/** Load the configured materials folder for the bot, watching it for changes. */
export async function openLibrary(config: Config, log: Logger): Promise<MaterialLibrary> {
  return createLibrary({ dir: config.materials, log, watch: true })
}
