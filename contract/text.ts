import type { z } from 'zod';

/**
 * Characters that are not plain one-line text: control characters (CR, LF, NUL, …) and line
 * separators, which would split log lines and CSV cells; text-direction overrides, which make a line
 * read differently from what it holds ("Trojan Source"); and lone surrogates, which are not text.
 * One definition for every field a person types (token descriptions, group names) and for the log
 * encoding, which escapes the same characters wherever they come from.
 */
export const NOT_PLAIN_TEXT_CLASS = String.raw`\p{Cc}\p{Cs}\u2028\u2029\u202A-\u202E\u2066-\u2069`;
export const NOT_PLAIN_TEXT = new RegExp(`[${NOT_PLAIN_TEXT_CLASS}]`, 'u');

const LINE_BREAKS_AND_CONTROLS = /[\p{Cc}\u2028\u2029]/u;

/** The rule for a name or description typed by a person: one line of plain text. */
export function plainText(schema: z.ZodString) {
  return (
    schema
      .refine((value) => !LINE_BREAKS_AND_CONTROLS.test(value), 'Remove line breaks and control characters.')
      // What is left of NOT_PLAIN_TEXT: direction overrides and lone surrogates.
      .refine(
        (value) => !NOT_PLAIN_TEXT.test(value),
        'Remove text-direction overrides and broken characters.',
      )
  );
}
