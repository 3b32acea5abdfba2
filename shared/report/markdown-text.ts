/**
 * Rule: user text in a Markdown export is text, never markup (DESIGN.md §6). Every ASCII punctuation
 * character CommonMark gives a meaning to is backslash-escaped, `&`, `<` and `>` become entities (so
 * no raw HTML, autolink or entity survives), and a line's leading spaces are dropped (no code block).
 * Links and images cannot form without an unescaped `[`, `]`, `(` or `!`.
 */
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()#+\-.!|~:]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** One line of user text, safe inline. */
function escapeLine(line: string): string {
  return line
    .trimStart()
    .replace(/[&<>]/g, (c) => ENTITIES[c])
    .replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`);
}

/** User text inline (a heading, a table cell, a list item's first line): newlines become spaces. */
export function mdInline(text: string): string {
  return escapeLine(text.replace(/\r\n?|\n/g, ' '));
}

/**
 * User text that may hold several lines, kept as hard line breaks; `indent` is what each following
 * line starts with, so it stays inside its list item.
 */
export function mdBlock(text: string, indent = ''): string {
  return text
    .split(/\r\n?|\n/)
    .map((line, i) => (i === 0 ? '' : indent) + escapeLine(line))
    .join('  \n');
}

/** A table cell: inline, and a pipe cannot end the cell (it is escaped above). */
export const mdCell = (text: string): string => mdInline(text) || '—';
