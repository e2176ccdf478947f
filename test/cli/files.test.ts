/**
 * Reading `-f` entries in bounded time and memory: only regular files (devices, FIFOs, sockets
 * and directories found in a folder are refused from their stat, never opened), symbolic links
 * found in a folder must stay inside it, and all inputs together stop at the size limit.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { readScenarioFiles } from '../../src/cli/files.js';
import { runCli, type CliEnv } from '../../src/cli/run.js';
import { commands } from '../../src/cli/commands/index.js';
import { readEmbeddedLab } from '../../src/cli/files.js';

const NODE = 'apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n';

let root: string;
let hasFifo = true;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cilium-twin-files-'));
  mkdirSync(join(root, 'ok'));
  writeFileSync(join(root, 'ok', 'a.yaml'), NODE);
  writeFileSync(join(root, 'ok', 'shared.yaml'), 'apiVersion: v1\nkind: Node\nmetadata: {name: n2}\n');
  symlinkSync(join(root, 'ok', 'shared.yaml'), join(root, 'ok', 'z-inside.yaml'));
  writeFileSync(join(root, 'outside.yaml'), NODE);
  mkdirSync(join(root, 'escape'));
  writeFileSync(join(root, 'escape', 'a.yaml'), NODE);
  symlinkSync(join(root, 'outside.yaml'), join(root, 'escape', 'b.yaml'));
  mkdirSync(join(root, 'zero'));
  writeFileSync(join(root, 'zero', 'a.yaml'), NODE);
  symlinkSync('/dev/zero', join(root, 'zero', 'b.yaml'));
  symlinkSync('/dev/zero', join(root, 'zero-link.yaml'));
  mkdirSync(join(root, 'sub'));
  mkdirSync(join(root, 'sub', 'inner.yaml'));
  mkdirSync(join(root, 'loop'));
  symlinkSync(join(root, 'loop', 'x.yaml'), join(root, 'loop', 'x.yaml'));
  try {
    execFileSync('mkfifo', [join(root, 'pipe.yaml')]);
    mkdirSync(join(root, 'fifo'));
    execFileSync('mkfifo', [join(root, 'fifo', 'a.yaml')]);
  } catch {
    hasFifo = false;
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function refusal(paths: string[]): string {
  const r = readScenarioFiles(paths);
  expect(E.isLeft(r)).toBe(true);
  const message = E.isLeft(r) ? r.left : '';
  expect(message).not.toContain('\n');
  return message;
}

describe('only regular files', () => {
  it('reads a folder and follows a link that stays inside it', () => {
    const r = readScenarioFiles([join(root, 'ok')]);
    expect(E.isRight(r) && r.right.map((f) => f.text)).toEqual([NODE, expect.stringContaining('n2'), expect.stringContaining('n2')]);
  });

  it('refuses a character device given directly, from its stat', () => {
    expect(refusal(['/dev/zero'])).toBe('/dev/zero: not a regular file (a character device); only regular files are read');
    expect(refusal([join(root, 'zero-link.yaml')])).toMatch(/zero-link\.yaml: not a regular file \(a character device\)/);
  });

  it('refuses a link in a folder that leaves it (here to /dev/zero), naming the link', () => {
    expect(refusal([join(root, 'zero')])).toMatch(/zero\/b\.yaml: a symbolic link to \/dev\/zero, outside .*zero: not followed/);
    expect(refusal([join(root, 'escape')])).toMatch(/escape\/b\.yaml: a symbolic link to .*outside\.yaml, outside .*escape: not followed .*give the file with -f/);
  });

  it('follows a link given directly', () => {
    const r = readScenarioFiles([join(root, 'ok', 'z-inside.yaml')]);
    expect(E.isRight(r) && r.right[0]!.text).toContain('n2');
  });

  it('refuses a FIFO, given or found in a folder, without blocking', () => {
    if (!hasFifo) return;
    expect(refusal([join(root, 'pipe.yaml')])).toMatch(/pipe\.yaml: not a regular file \(a FIFO\)/);
    expect(refusal([join(root, 'fifo')])).toMatch(/fifo\/a\.yaml: not a regular file \(a FIFO\)/);
  });

  it('refuses a directory found in a folder, and a link loop', () => {
    expect(refusal([join(root, 'sub')])).toMatch(/inner\.yaml: not a regular file \(a directory\)/);
    expect(refusal([join(root, 'loop')])).toMatch(/x\.yaml: a symbolic link that cannot be followed \(too many levels of symbolic links\)/);
  });

  it('says when a path does not exist, on one line even with a newline in its name', () => {
    expect(refusal(['no\nsuch.yaml'])).toBe('the path "no\\nsuch.yaml" does not exist');
  });
});

describe('a size limit over all inputs', () => {
  it('refuses a file past the limit from its size', () => {
    const r = readScenarioFiles([join(root, 'ok', 'a.yaml')], undefined, 10);
    expect(E.isLeft(r) && r.left).toMatch(/a\.yaml: too large: more than 10 bytes, the most read \(refused\)$/);
  });

  it('counts every input against one limit', () => {
    const small = NODE.length * 2 + 10;
    expect(E.isRight(readScenarioFiles([join(root, 'ok', 'a.yaml'), join(root, 'outside.yaml')], undefined, small))).toBe(true);
    const r = readScenarioFiles([join(root, 'ok', 'a.yaml'), join(root, 'outside.yaml'), join(root, 'ok', 'a.yaml')], undefined, small);
    expect(E.isLeft(r) && r.left).toMatch(/a\.yaml: too large: the inputs together exceed/);
  });

  it('reads standard input up to the limit, and refuses it past the limit', () => {
    const stdin = (text: string) => (max: number) => Buffer.from(text).subarray(0, max + 1);
    const ok = readScenarioFiles(['-'], stdin(NODE), NODE.length);
    expect(E.isRight(ok) && ok.right).toEqual([{ file: '<stdin>', text: NODE }]);
    const r = readScenarioFiles(['-'], stdin(NODE + 'x'), NODE.length);
    expect(E.isLeft(r) && r.left).toMatch(/^-: standard input: too large/);
  });

  it('never asks standard input for more than one byte past the limit', () => {
    let asked = -1;
    readScenarioFiles(['-'], (max) => {
      asked = max;
      return new Uint8Array(max + 1);
    }, 1000);
    expect(asked).toBe(1000);
  });
});

describe('through the CLI', () => {
  const env: CliEnv = {
    version: '0',
    readFiles: (paths) => readScenarioFiles(paths),
    readDefault: () => readEmbeddedLab(),
    defaultName: 'bgp-lab',
  };

  it('refuses a device with exit code 2 and a line naming it', () => {
    const r = runCli(['-f', '/dev/zero', 'validate'], env, commands);
    expect(r.exitCode).toBe(2);
    expect(r.stderr?.split('\n')[0]).toBe('cilium-twin: /dev/zero: not a regular file (a character device); only regular files are read');
  });

  it('refuses a folder holding a link to /dev/zero with exit code 2', () => {
    const r = runCli(['-f', join(root, 'zero'), 'validate'], env, commands);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/b\.yaml: a symbolic link to \/dev\/zero/);
  });
});
