import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import {
  commentText,
  goQuote,
  shellPrintfFormat,
  shellQuote,
  shellWord,
  yamlQuote,
} from '../src/project/quote.js';
import { dataPaths } from '../src/toolchain/paths.js';

const run = promisify(execFile);
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const utf8 = (s: string) => new TextEncoder().encode(s);
const allAscii = String.fromCharCode(...Array.from({ length: 128 }, (_, i) => i));

/** Strings that break naive quoting in one language or another. */
const HOSTILE = [
  '',
  'plain',
  allAscii,
  `x"+pwn()+"`,
  'back\\slash\\',
  "it's 'single' '\\''",
  'line\nbreak\r\nand\ttab\u000b\f\b\u0007',
  '$(touch pwned) `id` ${HOME} $HOME !! * ? [a] {a,b} ~ & | ; < > #',
  '*/ /* // -- # %s %d %% \\x41 \\u0041',
  ': colon, # hash, - dash, ? q, & anchor, * alias, ! tag, % directive, @ at, ` tick, { [ ] }',
  'yes',
  'null',
  '~',
  '0o17',
  '1e3',
  '  leading and trailing spaces  ',
  '\u0085 nel \u2028 ls \u2029 ps \u00a0 nbsp \u200b zwsp \ufeff bom \u007f del',
  'é 日本語 🎉 e\u0301 \u{10ffff} \ufffd',
  'lone \ud800 surrogate \udc00',
];

describe('goQuote', () => {
  it('escapes as strconv.Quote does', () => {
    expect(goQuote(`x"+pwn()+"`)).toBe('"x\\"+pwn()+\\""');
    expect(goQuote('a\\b\n\t\u0000\u007f')).toBe('"a\\\\b\\n\\t\\x00\\x7f"');
    expect(goQuote('é🎉\u200b\ufeff\u2028')).toBe('"é🎉\\u200b\\ufeff\\u2028"');
    expect(goQuote(new Uint8Array([0x61, 0xff, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xe2, 0x82]))).toBe(
      '"a\\xff\\xc0\\xaf\\xed\\xa0\\x80\\xe2\\x82"',
    );
    expect(goQuote('lone \ud800')).toBe('"lone \ufffd"');
  });

  it('gives literals that the Go compiler reads back as exactly the bytes, and match strconv.Quote', async () => {
    const cases: Uint8Array[] = [
      ...HOSTILE.map(utf8),
      new Uint8Array(Array.from({ length: 256 }, (_, i) => i)),
      new Uint8Array([0xf4, 0x90, 0x80, 0x80, 0xe0, 0x80, 0x80, 0xf0, 0x9f, 0x8e]),
    ];
    const dir = await mkdtemp(path.join(os.tmpdir(), 'goquote-'));
    dirs.push(dir);
    const source = `package main

import (
	"encoding/hex"
	"fmt"
	"strconv"
)

var cases = [][]byte{
${cases.map((c) => `\t[]byte(${goQuote(c)}),`).join('\n')}
}

func main() {
	for _, c := range cases {
		fmt.Println(hex.EncodeToString(c), strconv.Quote(string(c)))
	}
}
`;
    await writeFile(path.join(dir, 'main.go'), source);
    const p = dataPaths();
    const env = {
      ...process.env,
      GOCACHE: p.goCache,
      GOTOOLCHAIN: 'local',
      GOWORK: 'off',
      GOFLAGS: '',
    };
    const { stdout } = await run('go', ['run', 'main.go'], { cwd: dir, env, timeout: 120_000 });
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(cases.length);
    lines.forEach((line, i) => {
      const [hexBytes, quoted] = [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)];
      expect(hexBytes, `case ${i}`).toBe(Buffer.from(cases[i]).toString('hex'));
      expect(goQuote(cases[i]), `case ${i}`).toBe(quoted);
    });
  }, 120_000);
});

describe('shell quoting', () => {
  const argv = async (shell: string, words: string) => {
    const { stdout } = await run(shell, ['-c', `for a in ${words}; do printf '%s\\0' "$a"; done`], {
      encoding: 'buffer',
    });
    return stdout.toString('utf8').split('\0').slice(0, -1);
  };

  it.each(['sh', 'bash'])('makes each string one %s word, read back exactly', async (shell) => {
    const strings = HOSTILE.map((s) => s.replace(/[\0\ud800-\udfff]/g, '?'));
    expect(await argv(shell, strings.map(shellQuote).join(' '))).toEqual(strings);
    expect(await argv(shell, strings.map(shellWord).join(' '))).toEqual(strings);
  });

  it('leaves plain words bare, and refuses NUL', () => {
    expect(shellWord('GET')).toBe('GET');
    expect(shellWord('-sS')).toBe('-sS');
    expect(shellWord("a'b")).toBe(`'a'\\''b'`);
    expect(shellQuote('GET')).toBe("'GET'");
    expect(() => shellQuote('a\0b')).toThrow(RangeError);
  });

  it.each(['sh', 'bash'])('printf with shellPrintfFormat prints exactly the bytes in %s', async (shell) => {
    for (const bytes of [
      new Uint8Array(Array.from({ length: 256 }, (_, i) => i)),
      utf8('-n -e %s %% \\0 \\n \\\\ \' "\n'),
      utf8('-'),
      new Uint8Array([0, 0x31, 0x32, 0]),
    ]) {
      const { stdout } = await run(shell, ['-c', `printf ${shellPrintfFormat(bytes)}`], {
        encoding: 'buffer',
      });
      expect(Buffer.from(stdout).equals(Buffer.from(bytes))).toBe(true);
    }
  });
});

describe('yamlQuote', () => {
  it('gives a one-line scalar that YAML reads back as exactly the string', () => {
    for (const s of HOSTILE) {
      const q = yamlQuote(s);
      expect(q).not.toMatch(/[\n\r]/);
      expect(yaml.load(`key: ${q}\nafter: 1\n`)).toEqual({ key: s, after: 1 });
      expect(yaml.load(`list:\n  - ${q}\n  - 2\n`)).toEqual({ list: [s, 2] });
    }
  });
});

describe('commentText', () => {
  it('keeps a comment on one line and never ends a block comment', () => {
    const c = commentText('a\nb\rc\u2028d\u0085e */ f\u0000');
    expect(c).toBe('a b c d e * / f ');
    expect(c).not.toMatch(/[\n\r]/);
  });
});
