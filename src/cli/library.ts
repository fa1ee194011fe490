import fs from 'node:fs'
import path from 'node:path'
import { configPath, parseConfig, type Config } from '../config.ts'
import { loadCliConfig } from './runtime.ts'
import { createLogger, type Logger } from '../log.ts'
import type { MaterialLibrary } from '../materials/types.ts'
import { createLibrary, type FolderLibrary } from '../materials/library.ts'
import { deferredLibrary } from '../materials/deferred-library.ts'
import { thesaurusWith } from '../materials/thesaurus.ts'

/**
 * The bot's materials folder, watched for changes once loaded. It loads on first need (a
 * question, a study plan) so start-up and the first reply do not wait for the index;
 * `studybot start` then asks for it in the background.
 */
export function openLibrary(config: Config, log: Logger): MaterialLibrary {
  return deferredLibrary(() => createLibrary({ dir: config.materials, log, watch: true, thesaurus: thesaurusWith(config.synonyms) }))
}

/** Config and library for a materials CLI command (search, ask, ingest). */
export interface CliMaterials {
  config: Config
  library: FolderLibrary
  log: Logger
}

/**
 * Load the config (--config, STUDYBOT_CONFIG, config/studybot.yaml) and the materials folder;
 * `materials` (from --materials) overrides the config's folder. Without a config file the
 * command still runs on --materials with default settings, fully offline.
 */
export async function openCliMaterials(flags: { config?: string; materials?: string }, env: NodeJS.ProcessEnv,
  onProgress?: (done: number, total: number, doc: string) => void): Promise<CliMaterials> {
  const file = configPath(flags.config, env)
  const explicit = Boolean(flags.config ?? env.STUDYBOT_CONFIG)
  const base = !explicit && flags.materials && !fs.existsSync(file)
    ? parseConfig({ groups: [{ topic: '命令行' }] }, file, env)
    : loadCliConfig(flags.config, env)
  const config: Config = flags.materials ? { ...base, materials: path.resolve(flags.materials) } : base
  const log = createLogger({ fd: 2, level: env.LOG_LEVEL ?? 'error', pretty: false })
  const library = await createLibrary({ dir: config.materials, log, onProgress, thesaurus: thesaurusWith(config.synonyms) })
  return { config, library, log }
}
