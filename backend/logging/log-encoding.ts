import { NOT_PLAIN_TEXT_CLASS } from '../../contract/text';

/**
 * What keeps a log line from being forged: every value from outside (a username, the URL, a token
 * description, an address from a header) is encoded where it enters a line, as Log4j 2's
 * `%enc{…}{CRLF}` does it, and further: CR, LF, every other control character, line separators,
 * direction overrides and lone surrogates (contract/text.ts's NOT_PLAIN_TEXT), the backslash (so that
 * an encoded value reads back unambiguously) and the double quote (which delimits descriptions in the
 * messages) become Java-style escapes. A field of the line's prefix (and a bare word in a message)
 * has its whitespace escaped too, since spaces separate the fields. So one event is always exactly
 * one line, with the same fields, whatever a client sends; the Log entries tab shows the escapes.
 */

const NAMED: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\r': '\\r', '\n': '\\n', '\t': '\\t' };
const escape = (c: string) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

const UNSAFE_IN_TEXT = new RegExp(String.raw`[\\"${NOT_PLAIN_TEXT_CLASS}]`, 'gu');
const UNSAFE_IN_WORD = new RegExp(String.raw`[\\"\s${NOT_PLAIN_TEXT_CLASS}]`, 'gu');
const UNSAFE_IN_TEXT_ONCE = new RegExp(UNSAFE_IN_TEXT.source, 'u');
const UNSAFE_IN_WORD_ONCE = new RegExp(UNSAFE_IN_WORD.source, 'u');

/** Text within a message, such as a quoted token description: spaces stay. */
export function logText(value: string): string {
  return UNSAFE_IN_TEXT_ONCE.test(value) ? value.replace(UNSAFE_IN_TEXT, escape) : value;
}

/**
 * A field of the line's prefix, or a bare word in a message (username, REST endpoint, address):
 * no whitespace, and never the lone "-" that stands for an empty field.
 */
export function logWord(value: string): string {
  if (value === '-') return '\\u002D';
  return UNSAFE_IN_WORD_ONCE.test(value) ? value.replace(UNSAFE_IN_WORD, escape) : value;
}
