import type { Hit, MaterialLibrary, Passage, SearchOptions } from './types.ts'
import { parseQuestion, type ParsedQuestion } from './question.ts'

/**
 * A library that loads on first need: the first search (or ready()) reads the folder and builds
 * the index; documents() and passages() are empty until then. The bot can so answer `#帮助` and
 * commands before the materials are indexed. A failed load is tried again on the next need.
 */
export function deferredLibrary(load: () => Promise<MaterialLibrary>): MaterialLibrary {
  let loaded: MaterialLibrary | undefined
  let loading: Promise<MaterialLibrary> | undefined
  let closed = false

  const ready = (): Promise<MaterialLibrary> => (loading ??= load().then(
    (library) => {
      // closed while loading: release the watcher the load started
      if (closed) library.close()
      loaded = library
      return library
    },
    (err: unknown) => {
      loading = undefined
      throw err
    },
  ))

  return {
    async search(query: string | ParsedQuestion, opts?: SearchOptions): Promise<Hit[]> {
      return (await ready()).search(query, opts)
    },
    // before the load, no documents can be named yet: call ready() first to parse with them
    parse: (question: string) => loaded?.parse?.(question) ?? parseQuestion(question),
    documents: () => loaded?.documents() ?? [],
    passages: (doc: string): Passage[] => loaded?.passages(doc) ?? [],
    skipped: () => loaded?.skipped?.() ?? [],
    faq: () => loaded?.faq?.() ?? [],
    async ready() {
      await ready()
    },
    close() {
      closed = true
      loaded?.close()
    },
  }
}
