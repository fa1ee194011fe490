import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Interchangeable terms of Party study: everyday words and abbreviations members use, and the terms
 * the documents write (转正 = 转为正式党员, 纪委 = 纪律检查委员会). A question mentioning one member
 * of a group also searches the others, at a lower weight.
 */
export interface Thesaurus {
  readonly groups: readonly (readonly string[])[]
  /** Terms to search besides the text's own words, for each group member it mentions. */
  expand(text: string): string[]
  /** The same, per term of the text: each group member it mentions with the other terms of its groups. */
  related(text: string): Related[]
}

/** A term the text mentions and the terms that mean the same (those the text lacks). */
export interface Related { term: string; others: string[] }

/**
 * Read thesaurus lines: one group per line, terms separated by `=` (or `＝`), `#` starts a comment.
 * Returns the groups and, for each line that is not one, its number.
 */
export function parseThesaurus(text: string): { groups: string[][]; bad: number[] } {
  const groups: string[][] = []
  const bad: number[] = []
  text.split('\n').forEach((line, i) => {
    const body = line.replace(/#.*$/, '').trim()
    if (!body) return
    const terms = [...new Set(body.split(/[=＝]/).map((t) => t.trim()).filter(Boolean))]
    if (terms.length >= 2) groups.push(terms)
    else bad.push(i + 1)
  })
  return { groups, bad }
}

/** A thesaurus over these groups; a term in several groups expands to the members of all of them. */
export function createThesaurus(groups: readonly (readonly string[])[]): Thesaurus {
  const index = new Map<string, Set<string>>()
  for (const group of groups) {
    for (const term of group) {
      const others = index.get(term) ?? new Set<string>()
      for (const t of group) if (t !== term) others.add(t)
      index.set(term, others)
    }
  }
  const terms = [...index.keys()].sort((a, b) => b.length - a.length)
  const related = (text: string): Related[] =>
    terms.filter((term) => text.includes(term)).map((term) => ({ term, others: [...index.get(term)!].filter((t) => !text.includes(t)) }))
      .filter((r) => r.others.length > 0)
  return {
    groups,
    related,
    expand: (text) => [...new Set(related(text).flatMap((r) => r.others))],
  }
}

const here = path.dirname(fileURLToPath(import.meta.url))
// next to this module (src/materials/builtin), or next to the compiled bundle (dist/builtin)
const DATA_DIRS = [path.join(here, 'builtin'), path.resolve(here, '..', 'src', 'materials', 'builtin')]

/** Path of a data file shipped with the materials code (thesaurus, answerability coefficients). */
export function materialsDataFile(name: string): string {
  return DATA_DIRS.map((d) => path.join(d, name)).find((f) => fs.existsSync(f)) ?? path.join(DATA_DIRS[0]!, name)
}

let builtIn: Thesaurus | undefined

/** The built-in thesaurus, src/materials/builtin/thesaurus.txt (read on first use). */
export function builtInThesaurus(): Thesaurus {
  builtIn ??= createThesaurus(parseThesaurus(fs.readFileSync(materialsDataFile('thesaurus.txt'), 'utf8')).groups)
  return builtIn
}

/** The built-in thesaurus with a branch's own groups (config `synonyms:`) added. */
export function thesaurusWith(extra: readonly (readonly string[])[]): Thesaurus {
  return extra.length ? createThesaurus([...builtInThesaurus().groups, ...extra]) : builtInThesaurus()
}
