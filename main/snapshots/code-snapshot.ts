// Code snapshots (AZUREML.md section 10.4d): at submit, each step's code (DESIGN.md section 3's
// rules) is copied, content-addressed, into <workspace>/snapshots/<code hash>/. A step then runs
// in a fresh working copy of its snapshot, so what the user edits after submitting, and what a
// step writes while it runs, never changes the code a run uses, a later snapshot or a reuse key.
import { constants, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, relative, sep } from 'node:path';
import { codeFilter, IGNORE_FILES } from '../reuse/code-files.js';
import { filesHash, type ContentHasher } from '../reuse/content-hasher.js';

export interface CodeFiles {
  /** The folder the code's relative paths start from (a source directory, or the pipeline's folder). */
  root: string;
  /** Relative paths ('/'-separated), sorted. */
  rels: string[];
}

export interface CodeSnapshot {
  /** The content hash of the code: the snapshot's name and the code part of the reuse key. */
  hash: string;
  files: { rel: string; hash: string }[];
}

/** Past this a snapshot is worth a warning: most often data or an environment left in the source folder. */
export const LARGE_SNAPSHOT = { files: 2000, bytes: 300 * 1024 * 1024 };

export const snapshotsDir = (workspaceDir: string): string => join(workspaceDir, 'snapshots');
export const snapshotDir = (workspaceDir: string, hash: string): string => join(snapshotsDir(workspaceDir), hash);

/** Every code file of a source directory, minus what the ignore files and the fixed rules leave out. */
export function sourceDirFiles(sourceDir: string, workspaceDir: string): CodeFiles {
  const keep = codeFilter(sourceDir, workspaceDir);
  const rels: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      const rel = relative(sourceDir, full).split(sep).join('/');
      let isDir = e.isDirectory();
      if (e.isSymbolicLink()) {
        try {
          isDir = statSync(full).isDirectory();
        } catch {
          continue; // dangling link
        }
      }
      if (!keep(rel, isDir)) continue;
      if (isDir) walk(full);
      else rels.push(rel);
    }
  };
  walk(sourceDir);
  return { root: sourceDir, rels: rels.sort() };
}

/**
 * Hashes the code and makes sure its snapshot exists (written to a temporary folder and renamed,
 * so a half-written snapshot is never seen; an existing one is the same content by its name).
 */
export function takeSnapshot(workspaceDir: string, hasher: ContentHasher, code: CodeFiles, warn?: (message: string) => void): CodeSnapshot {
  let bytes = 0;
  const files = code.rels.map((rel) => {
    const abs = join(code.root, rel);
    const st = statSync(abs, { bigint: true });
    bytes += Number(st.size);
    return { rel, hash: hasher.hashFileSync(abs, st) };
  });
  hasher.flush();
  const hash = filesHash(files);
  const target = snapshotDir(workspaceDir, hash);
  if (existsSync(target)) return { hash, files };
  // Said once per content: when the snapshot is new.
  if ((bytes > LARGE_SNAPSHOT.bytes || files.length > LARGE_SNAPSHOT.files) && warn) {
    warn(`the code of ${code.root} is ${(bytes / 1024 / 1024).toFixed(0)} MB in ${files.length} files; each new version of it is snapshotted: leave data and environments out with ${IGNORE_FILES.join(', ')}`);
  }
  const tmp = join(snapshotsDir(workspaceDir), `.tmp-${randomBytes(6).toString('hex')}`);
  mkdirSync(tmp, { recursive: true });
  try {
    for (const f of files) {
      const to = join(tmp, f.rel);
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(join(code.root, f.rel), to, constants.COPYFILE_FICLONE);
    }
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    // Another process wrote the same snapshot meanwhile: it has this content, by its name.
    if (!existsSync(target)) throw e;
  }
  return { hash, files };
}

/** A step run's fresh working copy of its snapshot (reflinks where the file system has them, else copies; never hard links). */
export function makeWorkingCopy(workspaceDir: string, hash: string | null, wd: string): void {
  mkdirSync(wd, { recursive: true });
  if (!hash) return;
  const from = snapshotDir(workspaceDir, hash);
  const copy = (dir: string, to: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const src = join(dir, e.name);
      const dst = join(to, e.name);
      if (e.isDirectory()) {
        mkdirSync(dst);
        copy(src, dst);
      } else copyFileSync(src, dst, constants.COPYFILE_FICLONE);
    }
  };
  copy(from, wd);
}
