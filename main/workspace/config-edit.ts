// Edits of millrace.yml made for the azureml package (datastores/register, compute/ensure): one
// entry added with the yaml library's Document API, so the user's comments, order and layout stay.
// The file is checked before it replaces the old one (atomically): a bad edit changes nothing.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { isMap, isNode, parseDocument, stringify, type Document } from 'yaml';
import type { ComputeTargetRecord, DatastoreRecord } from '../../shared/api/records.js';
import { validateWorkspaceConfig } from '../../shared/pipeline/validate.js';
import { computeRecord } from '../compute/targets.js';
import { CONFIG_FILE, type Workspace } from './workspace.js';

const flowText = (value: Record<string, unknown>): string => stringify(value, { collectionStyle: 'flow' }).trim();

/**
 * The text with one line added after the section's last entry, at its entries' indentation: every
 * other byte of the file stays as the user wrote it. Undefined for a section that is not a block
 * map with entries (then the document is re-rendered).
 */
function insertedAfterLastEntry(text: string, section: unknown, name: string, value: Record<string, unknown>): string | undefined {
  if (!isMap(section) || section.flow || !section.items.length) return undefined;
  const first = section.items[0].key;
  const last = section.items[section.items.length - 1];
  const end = (isNode(last.value) ? last.value.range?.[1] : undefined) ?? (isNode(last.key) ? last.key.range?.[1] : undefined);
  if (!isNode(first) || !first.range || end === undefined) return undefined;
  const lineStart = text.lastIndexOf('\n', first.range[0] - 1) + 1;
  const indent = text.slice(lineStart, first.range[0]);
  if (!/^[ ]*$/.test(indent)) return undefined;
  const nl = text.indexOf('\n', end);
  const at = nl < 0 ? text.length : nl;
  const line = `${indent}${stringify(name).trim()}: ${flowText(value)}`;
  return `${text.slice(0, at)}\n${line}${text.slice(at)}`;
}

/** A section the user wrote as a flow map, left empty or left out: the document, re-rendered with the entry. */
function rewritten(doc: Document, sectionName: string, section: unknown, name: string, value: Record<string, unknown>): string {
  const entry = doc.createNode(value, { flow: true });
  if (isMap(section)) section.set(name, entry);
  else doc.set(sectionName, doc.createNode({ [name]: entry }));
  return doc.toString();
}

/**
 * Adds `section.name: value` (a one-line flow map, as the template writes entries) unless the
 * section already has `name`. Returns whether the file changed. The caller serializes edits
 * (two processes adding at once must not lose one).
 */
export function addConfigEntry(dir: string, section: 'datastores' | 'compute', name: string, value: Record<string, unknown>): boolean {
  const file = join(dir, CONFIG_FILE);
  const text = readFileSync(file, 'utf8');
  const doc = parseDocument(text);
  const current = doc.get(section, true);
  if (isMap(current) && current.has(name)) return false;
  const next = insertedAfterLastEntry(text, current, name, value) ?? rewritten(doc, section, current, name, value);
  validateWorkspaceConfig(file, next);
  const tmp = `${file}.${randomUUID()}.tmp`;
  try {
    writeFileSync(tmp, next);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
  return true;
}

/**
 * Datastore.register_azure_blob_container / register_azure_file_share: the folder datastore
 * datastores/<name>/ (credentials are never sent). A name millrace.yml has is left as it is.
 */
export function ensureDatastore(ws: Workspace, name: string): DatastoreRecord {
  // The store's write lock serializes edits of millrace.yml across processes.
  ws.store.transaction(() => addConfigEntry(ws.dir, 'datastores', name, { path: `datastores/${name}` }));
  ws.reloadConfigIfChanged();
  const path = ws.datastorePath(name);
  mkdirSync(path, { recursive: true });
  return { name, path, exists: existsSync(path) };
}

/** ComputeTarget.create: a local pool of min(maxNodes, CPU cores) slots; an existing target is left as it is. */
export function ensureComputePool(ws: Workspace, name: string, maxNodes?: number): ComputeTargetRecord {
  const cores = availableParallelism();
  ws.store.transaction(() => addConfigEntry(ws.dir, 'compute', name, { type: 'local', max_concurrency: Math.min(maxNodes ?? cores, cores) }));
  ws.reloadConfigIfChanged();
  return computeRecord(name, ws.config.compute[name]);
}
