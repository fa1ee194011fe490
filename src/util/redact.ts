/**
 * Secrets that travel inside URLs: a group robot's webhook carries its key as `?key=…`. Every
 * log line and every stored error goes through redactSecrets, so a key never reaches either.
 */
const KEY_PARAM = /(key=)[^&\s"'\\<>]+/gi

/** `text` with the value of every `key=` parameter replaced by ***. */
export function redactSecrets(text: string): string {
  return text.replace(KEY_PARAM, '$1***')
}
