/**
 * Imports what an audit needs from a plain dump into a new SQLite file, in one streamed
 * pass: the dump is parsed, never executed, and only the audit's tables and rows are
 * written (see audit-tables.ts). Memory stays flat: one statement (or COPY line) at a
 * time, rows written in batches. Meanwhile the file's SHA-256 is computed.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { AppFailure } from '../../shared/errors.js';
import { loadBetterSqlite3 } from '../engines/sqlite/driver.js';
import { AUDIT_INDEXES, affinityOf, auditTableOf, keepRow, keptColumns, sqliteValue, valueText, type Affinity, type AuditTable } from './audit-tables.js';
import { readDump } from './dump-file.js';
import { copyValues, parseStatement, statementTable, type DumpColumn, type DumpValue, type TableName } from './sql-statement.js';
import { StatementSplitter, type DumpDialect } from './statement-splitter.js';

export interface ImportProgress {
  /** Bytes of the file read (compressed for a gzip) of `totalBytes`. */
  fileBytes: number;
  totalBytes: number;
  /** Rows written to the snapshot so far. */
  rows: number;
}

export interface DumpFacts {
  dialect: DumpDialect;
  gzip: boolean;
  /** SHA-256 of the whole file as it is on disk. */
  sha256: string;
  /**
   * When the dump was made (unix seconds), from the dump itself when it says (mysqldump's
   * "Dump completed on", pg_dump's "Completed on"); null when it does not.
   */
  dumpedAt: number | null;
  /** mysqldump writes its local time without a zone: read as UTC, and marked so. */
  dumpedAtZoneKnown: boolean;
  /** The Drupal table prefixes present (those with a users_field_data table). */
  prefixes: string[];
  /** Rows kept per snapshot table. */
  rows: Record<string, number>;
  /** Every table the dump defines or fills, for messages about what it is. */
  tablesSeen: number;
}

export interface ImportOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  nativeBinding?: string;
}

/** A default type for Drupal's columns when a dump has INSERTs without a CREATE TABLE. */
const KNOWN_AFFINITY: Record<string, Affinity> = {
  uid: 'INTEGER', timestamp: 'INTEGER', created: 'INTEGER', changed: 'INTEGER', access: 'INTEGER', login: 'INTEGER', status: 'INTEGER',
  entity_id: 'INTEGER', revision_id: 'INTEGER', delta: 'INTEGER', deleted: 'INTEGER', default_langcode: 'INTEGER', expires: 'INTEGER',
  refreshed: 'INTEGER', session: 'BLOB', data: 'BLOB', value: 'BLOB',
};

const ROWS_PER_TRANSACTION = 20_000;
/** Tables kept from one dump at most (a few per Drupal site in it). */
const MAX_TABLES = 500;

interface SnapshotTable {
  name: string;
  base: AuditTable;
  /** The dump's columns in order, with where each goes (null: not kept). */
  columns: DumpColumn[];
  kept: Array<{ name: string; affinity: Affinity }>;
  rows: number;
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Drupal's session time as mysqldump writes it: "2018-07-17 17:23:08" (local, zone unknown). */
function mysqlDumpTime(comment: string): number | null {
  const match = /^Dump completed on (\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2}:\d{2})/.exec(comment);
  if (!match) return null;
  const ms = Date.parse(`${match[1]}T${match[2]!.padStart(8, '0')}Z`);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

/** pg_dump --verbose: "Completed on 2026-11-28 13:00:00 UTC" (a zone name or offset). */
function pgDumpTime(comment: string): number | null {
  const match = /^(?:Completed|Started) on (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})\s*(UTC|GMT|[+-]\d{2}(?::?\d{2})?)?/.exec(comment);
  if (!match || !match[3]) return null;
  const zone = match[3] === 'UTC' || match[3] === 'GMT' ? 'Z' : match[3].length === 3 ? `${match[3]}:00` : match[3];
  const ms = Date.parse(`${match[1]}T${match[2]}${zone}`);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

export async function importDump(source: string, dialect: DumpDialect, gzip: boolean, outFile: string, options: ImportOptions = {}): Promise<DumpFacts> {
  const totalBytes = statSync(source).size;
  const Sqlite = loadBetterSqlite3();
  const db = new Sqlite(outFile, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  // A new file that is renamed into place only when complete: no journal needed.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  const tables = new Map<string, SnapshotTable>();
  const statements = new Map<string, BetterSqlite3.Statement<unknown[]>>();
  const seen = new Set<string>();
  const hash = createHash('sha256');
  let rows = 0;
  let pending = 0;
  let dumpedAt: number | null = null;
  let dumpedAtZoneKnown = false;
  let complete = false;
  let copyWrite: ((values: DumpValue[]) => void) | null = null;

  const snapshotName = (table: TableName) => table.name;

  // Which database (MySQL: a qualified name, else the last USE) or schema (PostgreSQL) the
  // Drupal tables belong to. A snapshot holds one site: a dump of several databases
  // (mysqldump --databases a b) or schemas must not merge their users into one.
  let currentDatabase: string | null = null;
  const namespaces: string[] = [];
  function noteNamespace(table: TableName): void {
    const namespace = table.schema ?? currentDatabase ?? (dialect === 'pgsql' ? 'public' : '');
    if (namespaces.includes(namespace)) return;
    namespaces.push(namespace);
    if (namespaces.length < 2) return;
    const [kind, how] = dialect === 'pgsql' ? ['schemas', 'pg_dump --schema=<one of them>'] : ['databases', 'mysqldump <one of them>, without --databases or --all-databases'];
    throw new AppFailure(
      'DATABASE',
      `The dump holds Drupal tables of several ${kind} (${namespaces.map((n) => `"${n}"`).join(', ')}); a snapshot holds one site. Dump one of them alone (${how}).`,
    );
  }

  function define(name: string, base: AuditTable, columns: DumpColumn[]): SnapshotTable {
    // A site has a handful; a crafted dump could declare millions.
    if (!tables.has(name) && tables.size >= MAX_TABLES) {
      throw new AppFailure('DATABASE', `The dump declares more than ${MAX_TABLES} tables named like Drupal's user and session tables: not a dump of Drupal sites.`);
    }
    if (tables.has(name)) {
      // A second CREATE TABLE replaces the first, as it would on a server.
      db.exec(`DROP TABLE ${quote(name)}`);
      statements.clear();
    }
    const kept = keptColumns(base, columns).map((c) => ({ name: c.name, affinity: c.type ? affinityOf(c.type) : (KNOWN_AFFINITY[c.name.toLowerCase()] ?? 'TEXT') }));
    if (kept.length === 0) throw new AppFailure('DATABASE', `The dump's table ${name} has no columns.`);
    db.exec(`CREATE TABLE ${quote(name)} (${kept.map((c) => `${quote(c.name)} ${c.affinity}`).join(', ')})`);
    const table: SnapshotTable = { name, base, columns, kept, rows: 0 };
    tables.set(name, table);
    return table;
  }

  /**
   * The writer of rows with these columns into this table: where each kept column is,
   * its prepared INSERT, decided once per statement or COPY block, not per row.
   */
  function rowWriter(table: SnapshotTable, names: string[]): (values: DumpValue[]) => void {
    const lower = names.map((n) => n.toLowerCase());
    const positions = table.kept.map((c) => names.indexOf(c.name));
    const present = table.kept.flatMap((column, i) => (positions[i] !== -1 ? [{ column, at: positions[i]! }] : []));
    const key = `${table.name}\0${positions.join(',')}`;
    let statement = statements.get(key);
    if (!statement) {
      statement = db.prepare<unknown[]>(`INSERT INTO ${quote(table.name)} (${present.map((p) => quote(p.column.name)).join(', ')}) VALUES (${present.map(() => '?').join(', ')})`);
      statements.set(key, statement);
    }
    const insert = statement;
    const filtered = !['users_field_data', 'user__roles', 'sessions', 'users', 'persistent_login'].includes(table.base);
    return (values) => {
      if (values.length !== names.length) {
        throw new AppFailure('DATABASE', `The dump cannot be read: a row of ${table.name} has ${values.length} values for ${names.length} columns.`);
      }
      if (filtered && !keepRow(table.base, (column) => {
        const i = lower.indexOf(column);
        return i === -1 ? null : valueText(values[i]!);
      })) return;
      const params = new Array<number | string | Buffer | null>(present.length);
      for (let i = 0; i < present.length; i++) params[i] = sqliteValue(values[present[i]!.at]!, present[i]!.column.affinity, dialect);
      insert.run(params);
      table.rows++;
      rows++;
      if (++pending >= ROWS_PER_TRANSACTION) {
        db.exec('COMMIT; BEGIN');
        pending = 0;
      }
    };
  }

  /** The table rows go to: defined by its CREATE TABLE, or from an INSERT's own column list. */
  function target(table: TableName, columns: string[] | null): { table: SnapshotTable; names: string[] } | null {
    const name = snapshotName(table);
    const audit = auditTableOf(name);
    if (!audit || audit.base === 'system') return null;
    let defined = tables.get(name);
    if (!defined) {
      if (!columns) {
        throw new AppFailure('DATABASE', `The dump fills ${name} without saying its columns (no CREATE TABLE, no column list). Dump it with its table structure, or with --complete-insert.`);
      }
      defined = define(name, audit.base, columns.map((c) => ({ name: c, type: '' })));
    }
    return { table: defined, names: columns ?? defined.columns.map((c) => c.name) };
  }

  const splitter = new StatementSplitter(dialect, {
    wants: (head) => {
      const use = dialect === 'mysql' ? /^\s*USE\s+`?([^`\s;]+)`?/i.exec(head) : null;
      if (use) {
        currentDatabase = use[1]!;
        return false;
      }
      const found = statementTable(head, dialect);
      if (!found) return false;
      const name = snapshotName(found.table);
      seen.add(name);
      const audit = auditTableOf(name);
      if (audit) noteNamespace(found.table);
      if (found.verb === 'copy') return true;
      return audit !== null && (found.verb === 'create' || audit.base !== 'system');
    },
    statement: (bytes) => {
      const statement = parseStatement(bytes, dialect);
      if (!statement) return;
      if (statement.kind === 'create') {
        const audit = auditTableOf(snapshotName(statement.table));
        if (audit) define(snapshotName(statement.table), audit.base, statement.columns);
        return;
      }
      if (statement.kind === 'insert') {
        const found = target(statement.table, statement.columns);
        if (found) {
          const write = rowWriter(found.table, found.names);
          for (const row of statement.rows) write(row);
        }
        return;
      }
      const found = target(statement.table, statement.columns);
      copyWrite = found ? rowWriter(found.table, found.names) : null;
      return found ? 'copy-keep' : 'copy-skip';
    },
    copyLine: (line) => {
      copyWrite?.(copyValues(line));
    },
    comment: (text) => {
      if (dialect === 'mysql') {
        if (text.startsWith('Dump completed')) {
          complete = true;
          // Dumps concatenated (one per table) each say when they were done: the last counts.
          const time = mysqlDumpTime(text);
          if (time !== null) dumpedAt = Math.max(dumpedAt ?? 0, time);
        }
      } else {
        if (text.startsWith('PostgreSQL database dump complete')) complete = true;
        const time = pgDumpTime(text);
        if (time !== null && (dumpedAt === null || text.startsWith('Completed'))) {
          dumpedAt = time;
          dumpedAtZoneKnown = true;
        }
      }
    },
  });

  const input = readDump(source, gzip, options.signal);
  input.onFileBytes((chunk) => hash.update(chunk));
  let lastReport = 0;
  try {
    db.exec('BEGIN');
    for await (const chunk of input.chunks) {
      splitter.push(chunk);
      const now = Date.now();
      if (options.onProgress && now - lastReport >= 100) {
        lastReport = now;
        options.onProgress({ fileBytes: input.fileBytesRead(), totalBytes, rows });
      }
    }
    splitter.end();
    if (splitter.unfinished || !complete) {
      throw new AppFailure(
        'DATABASE',
        `The dump ends early: ${dialect === 'mysql' ? 'mysqldump\'s closing "-- Dump completed" line' : 'pg_dump\'s closing "-- PostgreSQL database dump complete" line'} is missing, so it was cut short or is still being written. Make or copy it again.`,
      );
    }
    for (const table of tables.values()) {
      for (const columns of AUDIT_INDEXES[table.base] ?? []) {
        const present = columns.filter((c) => table.kept.some((k) => k.name.toLowerCase() === c));
        if (present.length === columns.length) {
          db.exec(`CREATE INDEX ${quote(`${table.name}__${columns.join('_')}`)} ON ${quote(table.name)} (${columns.map(quote).join(', ')})`);
        }
      }
    }
    db.exec('COMMIT');
    options.onProgress?.({ fileBytes: totalBytes, totalBytes, rows });
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (options.signal?.aborted) throw new AppFailure('CANCELLED', 'The import of the dump was cancelled.');
    throw error;
  } finally {
    db.close();
  }
  const prefixes = [...tables.values()].filter((t) => t.base === 'users_field_data').map((t) => auditTableOf(t.name)!.prefix);
  return {
    dialect,
    gzip,
    sha256: hash.digest('hex'),
    dumpedAt,
    dumpedAtZoneKnown,
    prefixes: [...new Set(prefixes)].sort(),
    rows: Object.fromEntries([...tables.values()].map((t) => [t.name, t.rows])),
    tablesSeen: seen.size,
  };
}
