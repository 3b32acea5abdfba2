/** User text in exports stays text: Markdown cannot form markup, links or images; CSV cannot run formulas. */
import fc from 'fast-check';
import { csvCell } from '../../../shared/report/csv';
import { escapeHtml } from '../../../shared/report/html-text';
import { mdBlock, mdInline } from '../../../shared/report/markdown-text';
import { HOSTILE_TEXTS } from '../../support/export-incident';

/** A Markdown-special character not preceded by the backslash that escapes it. */
const UNESCAPED_SPECIAL = /(?<!\\)(?:\\\\)*[[\]()!`*_#|~]/;
const FIXED_SEED = 20261129;

describe('Markdown escaping', () => {
  it.each(Object.entries(HOSTILE_TEXTS))('%s leaves no raw HTML and no unescaped link, image or emphasis syntax', (_name, text) => {
    for (const escaped of [mdInline(text), mdBlock(text, '  ')]) {
      expect(escaped).not.toMatch(/[<>]/);
      expect(escaped.replace(/\\\\/g, '')).not.toMatch(UNESCAPED_SPECIAL);
    }
  });

  it('holds for any text (property, fixed seed)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 80 }), (text) => {
        const escaped = mdBlock(text, '  ');
        expect(escaped).not.toMatch(/[<>]/);
        expect(escaped.replace(/\\\\/g, '')).not.toMatch(UNESCAPED_SPECIAL);
        // No line can open a block (heading, list, quote, code) once its leading spaces are gone.
        for (const line of escaped.split('  \n')) expect(line.trimStart()).not.toMatch(/^(?:[#>+*-]|\d+[.)])\s/);
      }),
      { seed: FIXED_SEED, numRuns: 300 },
    );
  });

  it('keeps every line of a multi-line text, as hard line breaks inside its list item', () => {
    expect(mdBlock('one\ntwo\r\nthree', '  ')).toBe('one  \n  two  \n  three');
    expect(mdInline('one\ntwo')).toBe('one two');
  });
});

describe('HTML escaping', () => {
  it('turns every markup character into an entity', () => {
    expect(escapeHtml(HOSTILE_TEXTS.script)).toBe('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeHtml(`'&'`)).toBe('&#39;&amp;&#39;');
  });
});

describe('CSV cells', () => {
  it.each(['=1+1', '+44 20', '-2', '@SUM(A1)', '\tindent', '\rreturn'])('%j is prefixed so a spreadsheet shows it as text', (value) => {
    expect(csvCell(value).replace(/^"/, '').startsWith("'")).toBe(true);
  });

  it('quotes commas, quotes and line breaks by RFC 4180, doubling quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('one\ntwo')).toBe('"one\ntwo"');
    expect(csvCell('plain text, 日本語')).toBe('"plain text, 日本語"');
    expect(csvCell('plain')).toBe('plain');
  });
});
