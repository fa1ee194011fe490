// Characters XML 1.0 forbids (C0 controls but tab, LF and CR; U+FFFE, U+FFFF) and lone UTF-16
// surrogates: one of them in a cell makes the whole sheet invalid XML, and Excel refuses the file.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** A cell value without the characters XML 1.0 forbids (numbers pass unchanged). */
export function xmlSafe<T extends string | number>(value: T): T {
  return (typeof value === 'string' ? value.replace(NOT_XML, '') : value) as T
}

/** A row of cells, each made safe for the sheet's XML. */
export function xmlRow(cells: readonly (string | number)[]): (string | number)[] {
  return cells.map(xmlSafe)
}
