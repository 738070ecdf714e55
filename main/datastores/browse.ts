// Browsing a datastore from the studio: one folder's entries (folders first, with sizes), the head
// of a file (a CSV's first lines), and the file itself — always inside the datastore's folder.
import { closeSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DatastoreEntry, DatastoreListing, FilePreview } from '../../shared/api/records.js';
import type { FileResult } from '../../shared/api/define.js';
import { confinedPath, isInside } from '../workspace/confined-path.js';
import type { Workspace } from '../workspace/workspace.js';

/** A folder with more entries lists this many (sorted) and says it was cut. */
const MAX_ENTRIES = 1000;
const PREVIEW_BYTES = 64 * 1024;

const clean = (path: string): string => path.replace(/\\/g, '/').replace(/^\/+|\/+$/g, '');

function folder(ws: Workspace, datastore: string, path: string): string {
  const root = ws.datastorePath(datastore);
  return clean(path) ? confinedPath(root, clean(path), `folder on datastore '${datastore}'`, 'folder') : root;
}

export function listFolder(ws: Workspace, datastore: string, path: string): DatastoreListing {
  const dir = folder(ws, datastore, path);
  const rel = clean(path);
  const entries: DatastoreEntry[] = [];
  const realRoot = realpathSync(ws.datastorePath(datastore));
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    let st;
    try {
      // A link is followed (a linked folder browses as a folder) unless it leads out of the datastore.
      if (e.isSymbolicLink() && !isInside(realRoot, realpathSync(join(dir, e.name)))) continue;
      st = statSync(join(dir, e.name));
    } catch {
      continue; // a dangling link
    }
    if (!st.isDirectory() && !st.isFile()) continue;
    entries.push({ name: e.name, path: rel ? `${rel}/${e.name}` : e.name, kind: st.isDirectory() ? 'folder' : 'file', size: st.isFile() ? st.size : null, modifiedAt: st.mtime.toISOString() });
  }
  entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1));
  return { datastore, path: rel, entries: entries.slice(0, MAX_ENTRIES), truncated: entries.length > MAX_ENTRIES };
}

/** The first `lines` lines of a file (at most 64 KiB); a file with NUL bytes is binary and shows none. */
export function previewFile(ws: Workspace, datastore: string, path: string, lines: number): FilePreview {
  const file = confinedPath(ws.datastorePath(datastore), clean(path), `file on datastore '${datastore}'`, 'file');
  const st = statSync(file);
  const buf = Buffer.alloc(Math.min(PREVIEW_BYTES, st.size));
  const fd = openSync(file, 'r');
  let n = 0;
  try {
    while (n < buf.length) {
      const got = readSync(fd, buf, n, buf.length - n, n);
      if (!got) break;
      n += got;
    }
  } finally {
    closeSync(fd);
  }
  const head = buf.subarray(0, n);
  const base = { datastore, path: clean(path), size: st.size, modifiedAt: st.mtime.toISOString() };
  if (head.includes(0)) return { ...base, binary: true, text: '', truncated: st.size > 0 };
  const all = head.toString('utf8').replace(/\uFFFD+$/, '').split(/\r?\n/);
  const cut = all.length > lines || n < st.size;
  return { ...base, binary: false, text: all.slice(0, lines).join('\n'), truncated: cut };
}

export function datastoreFile(ws: Workspace, datastore: string, path: string): FileResult {
  const file = confinedPath(ws.datastorePath(datastore), clean(path), `file on datastore '${datastore}'`, 'file');
  return { kind: 'file', path: file, name: basename(file), size: statSync(file).size };
}
