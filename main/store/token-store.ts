// API tokens: only a SHA-256 of each is stored; checks compare hashes in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { NotFoundError, UserError } from '../../shared/errors.js';
import type { TokenRecord } from '../../shared/api/records.js';
import { Table } from './statements.js';

interface Row {
  name: string;
  hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}
const iso = (ms: number | null) => (ms == null ? null : new Date(ms).toISOString());
const toRecord = (r: Row): TokenRecord => ({
  name: r.name, createdAt: iso(r.created_at)!, lastUsedAt: iso(r.last_used_at), revokedAt: iso(r.revoked_at),
});
const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** last_used_at is written at most this often per token: a busy client must not turn every request into a write. */
const TOUCH_EVERY_MS = 5000;

export class TokenStore extends Table {
  private readonly touched = new Map<string, number>();


  /** A new token; the secret is returned here and never again. */
  create(name: string): { name: string; token: string } {
    const token = `mr_${randomBytes(32).toString('base64url')}`;
    try {
      this.sql('INSERT INTO api_tokens (name, hash, created_at) VALUES (?, ?, ?)').run(name, sha256(token).toString('hex'), Date.now());
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new UserError(`a token named '${name}' already exists; revoke it first or choose another name`, 'conflict');
      }
      throw e;
    }
    return { name, token };
  }

  list(includeRevoked = false): TokenRecord[] {
    const rows = this.sql(`SELECT * FROM api_tokens ${includeRevoked ? '' : 'WHERE revoked_at IS NULL'} ORDER BY created_at, id`)
      .all() as Row[];
    return rows.map(toRecord);
  }

  revoke(name: string): TokenRecord {
    const row = this.sql('SELECT * FROM api_tokens WHERE name = ? AND revoked_at IS NULL').get(name) as Row | undefined;
    if (!row) throw new NotFoundError(`no active token named '${name}'`);
    const now = Date.now();
    this.sql('UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL').run(now, name);
    return toRecord({ ...row, revoked_at: now });
  }

  /**
   * The name of the active token `token` is, or null. Every active hash is compared with
   * timingSafeEqual (no early exit), so the answer time says nothing about how close a guess was.
   */
  verify(token: string): string | null {
    const given = sha256(token);
    let match: string | null = null;
    for (const r of this.sql('SELECT name, hash FROM api_tokens WHERE revoked_at IS NULL').all() as { name: string; hash: string }[]) {
      const stored = Buffer.from(r.hash, 'hex');
      if (stored.length === given.length && timingSafeEqual(stored, given)) match = r.name;
    }
    if (match) this.touch(match);
    return match;
  }

  private touch(name: string): void {
    const now = Date.now();
    if (now - (this.touched.get(name) ?? 0) < TOUCH_EVERY_MS) return;
    this.touched.set(name, now);
    this.sql('UPDATE api_tokens SET last_used_at = ? WHERE name = ? AND revoked_at IS NULL').run(now, name);
  }
}
