import fs from 'node:fs'
import type { Logger } from '../log.ts'
import type { Hit, MaterialLibrary, Passage, SearchOptions } from './types.ts'
import { loadFolder, type LoadedDocument, type SkippedFile } from './load-folder.ts'
import { buildSearchIndex, DEFAULT_RANKING, type RankingOptions, type SearchIndex } from './search-index.ts'
import type { FaqEntry } from './faq-file.ts'
import { parseQuestion, type ParsedQuestion } from './question.ts'
import { buildCatalog, type DocumentCatalog } from './document-catalog.ts'
import { builtInThesaurus, type Thesaurus } from './thesaurus.ts'

/** A MaterialLibrary that also tells which files it skipped and can be reloaded by hand. */
export interface FolderLibrary extends MaterialLibrary {
  skipped(): SkippedFile[]
  faq(): FaqEntry[]
  parse(question: string): ParsedQuestion
  /** Re-read the folder now (the watcher does this by itself after changes). */
  reload(): Promise<void>
}

export interface LibraryOptions {
  dir: string
  log: Logger
  /** Watch the folder and reload after changes; off for one-shot CLI runs. */
  watch?: boolean
  /** Quiet period after the last change before reloading. */
  debounceMs?: number
  ranking?: RankingOptions
  /** Thesaurus for questions (default: the built-in one). */
  thesaurus?: Thesaurus
  onProgress?: (done: number, total: number, doc: string) => void
}

/** Load the materials folder into a searchable library, kept current while `watch` is on. */
export async function createLibrary(opts: LibraryOptions): Promise<FolderLibrary> {
  const { dir, log } = opts
  let documents: LoadedDocument[] = []
  let skipped: SkippedFile[] = []
  let faq: FaqEntry[] = []
  let index: SearchIndex = buildSearchIndex([], opts.ranking ?? DEFAULT_RANKING)
  const thesaurus = opts.thesaurus ?? builtInThesaurus()
  let catalog: DocumentCatalog = buildCatalog([], thesaurus)
  let watcher: fs.FSWatcher | undefined
  let timer: NodeJS.Timeout | undefined
  let loading: Promise<void> = Promise.resolve()

  const load = async () => {
    const started = performance.now()
    const folder = await loadFolder(dir, { onProgress: opts.onProgress })
    const passages = folder.documents.flatMap((d) => d.passages)
    index = buildSearchIndex(passages, opts.ranking ?? DEFAULT_RANKING)
    catalog = buildCatalog(passages, thesaurus)
    documents = folder.documents
    skipped = folder.skipped
    faq = folder.faq
    for (const s of skipped) log.warn({ dir, doc: s.doc, reason: s.reason }, 'material skipped')
    log.info({ dir, documents: documents.length, passages: passages.length, faq: folder.faq.length, ms: Math.round(performance.now() - started) }, 'materials loaded')
  }
  const reload = () => (loading = loading.then(load, load))

  await reload()
  if (opts.watch) {
    try {
      watcher = fs.watch(dir, () => {
        clearTimeout(timer)
        timer = setTimeout(() => {
          reload().catch((err) => log.error({ err, dir }, 'materials reload failed'))
        }, opts.debounceMs ?? 500)
      })
      watcher.on('error', (err) => log.warn({ err, dir }, 'materials watcher stopped'))
    } catch (err) {
      log.warn({ err, dir }, 'cannot watch materials folder; changes need a restart')
    }
  }

  return {
    async search(query: string | ParsedQuestion, so: SearchOptions = {}): Promise<Hit[]> {
      const parsed = typeof query === 'string' ? parseQuestion(query, { catalog, thesaurus }) : query
      return index.search(parsed, so.k ?? 5, so.docs ? new Set(so.docs) : undefined, { explain: so.explain })
    },
    parse: (question: string) => parseQuestion(question, { catalog, thesaurus }),
    documents: () => documents.map((d) => ({ doc: d.doc, title: d.title, passages: d.passages.length })),
    passages: (doc: string): Passage[] => documents.find((d) => d.doc === doc)?.passages ?? [],
    skipped: () => skipped,
    faq: () => faq,
    ready: async () => { await loading },
    reload,
    close() {
      clearTimeout(timer)
      watcher?.close()
      watcher = undefined
    },
  }
}
