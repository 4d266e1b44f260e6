/**
 * The dump reader's pieces: statements split the same wherever the chunks break, every
 * escape mysqldump and pg_dump write is undone, COPY lines are read, and what is not
 * understood is said to be so.
 */
import { describe, expect, it } from 'vitest';
import { StatementSplitter, type DumpDialect } from '../../src/core/dumps/statement-splitter.js';
import { copyValues, parseStatement, statementTable } from '../../src/core/dumps/sql-statement.js';
import { affinityOf, auditTableOf, sqliteValue } from '../../src/core/dumps/audit-tables.js';

function split(dialect: DumpDialect, text: string | Buffer, chunk: (i: number) => number) {
  const out: Array<string> = [];
  const comments: string[] = [];
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  const splitter = new StatementSplitter(dialect, {
    wants: () => true,
    statement: (b) => {
      out.push(b.toString('latin1'));
      return /^COPY/i.test(b.toString('latin1')) ? 'copy-keep' : undefined;
    },
    copyLine: (line) => out.push(`COPYLINE ${line.toString('latin1')}`),
    comment: (t) => comments.push(t),
  });
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const size = Math.max(1, chunk(k));
    splitter.push(bytes.subarray(i, i + size));
    i += size;
  }
  splitter.end();
  return { out, comments, unfinished: splitter.unfinished };
}

const MYSQL = [
  '/*M!999999\\- enable the sandbox mode */',
  '-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB',
  '/*!40101 SET NAMES utf8mb4 */;',
  '# a hash comment; with a semicolon',
  'CREATE TABLE `se;ss` (`uid` int(10) unsigned NOT NULL, `data` longblob, PRIMARY KEY (`uid`)) ENGINE=InnoDB COMMENT=\'a;b\';',
  "INSERT INTO `se;ss` VALUES (1,'a\\'b;c\\\\'),(2,'it''s'),(3,\"dq\\\"x;\"),(4,_binary 'b\\0in'),(5,0x3B3B),(6,NULL),(7,'-- not a comment');",
  'INSERT INTO `t` (`a`,`b`) VALUES (-1.5e3,\'\\%\\_\\Z\\n\\r\\t\');',
  '-- Dump completed on 2026-11-20  9:30:00',
].join('\n');

const PG = [
  '--',
  '-- PostgreSQL database dump',
  '--',
  '\\restrict AbCdEf123',
  "SET standard_conforming_strings = on;",
  'CREATE FUNCTION public.f() RETURNS text LANGUAGE sql AS $_$ SELECT \';\' $_$;',
  'CREATE FUNCTION public.g() RETURNS text LANGUAGE sql AS $$ SELECT 1; $$;',
  '/* a /* nested */ comment; */',
  'COPY public.sessions (uid, sid, "timestamp", session) FROM stdin;',
  '1\tabc\t100\t\\\\x5f7366',
  '2\t\\N\t200\tline\\nbreak\\ttab\\\\back\\101',
  '\\.',
  "INSERT INTO public.users VALUES (1, 'it''s', E'a\\'b\\x41\\101', '\\x5f73'::bytea);",
  '--',
  '-- PostgreSQL database dump complete',
  '--',
  '\\unrestrict AbCdEf123',
].join('\n');

describe('the statement splitter', () => {
  for (const [dialect, text] of [['mysql', MYSQL], ['pgsql', PG]] as const) {
    it(`splits ${dialect} statements the same whatever the chunk sizes`, () => {
      const whole = split(dialect, text, () => 1 << 30);
      expect(whole.unfinished).toBe(false);
      for (const chunks of [() => 1, () => 2, () => 3, (k: number) => 1 + ((k * 7919) % 13)]) {
        expect(split(dialect, text, chunks)).toEqual(whole);
      }
    });
  }

  it('finds mysqldump\'s statements and comments, quotes and comments kept inside', () => {
    const { out, comments } = split('mysql', MYSQL, () => 1 << 30);
    // /*!40101 SET NAMES … */ is a comment to a reader that executes nothing.
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/COMMENT='a;b'$/);
    expect(out[1]).toMatch(/'-- not a comment'\)$/);
    expect(comments).toEqual(['MariaDB dump 10.19  Distrib 10.11.19-MariaDB', 'a hash comment; with a semicolon', 'Dump completed on 2026-11-20  9:30:00']);
  });

  it('reads pg_dump: dollar quotes, nested comments, COPY data up to \\., psql meta-commands skipped', () => {
    const { out, comments } = split('pgsql', PG, () => 1 << 30);
    expect(out).toEqual([
      'SET standard_conforming_strings = on',
      "CREATE FUNCTION public.f() RETURNS text LANGUAGE sql AS $_$ SELECT ';' $_$",
      'CREATE FUNCTION public.g() RETURNS text LANGUAGE sql AS $$ SELECT 1; $$',
      'COPY public.sessions (uid, sid, "timestamp", session) FROM stdin',
      'COPYLINE 1\tabc\t100\t\\\\x5f7366',
      'COPYLINE 2\t\\N\t200\tline\\nbreak\\ttab\\\\back\\101',
      "INSERT INTO public.users VALUES (1, 'it''s', E'a\\'b\\x41\\101', '\\x5f73'::bytea)",
    ]);
    expect(comments).toContain('PostgreSQL database dump complete');
  });

  it('says a dump cut inside a string or a COPY block is unfinished', () => {
    expect(split('mysql', "INSERT INTO `t` VALUES ('abc", () => 1 << 30).unfinished).toBe(true);
    expect(split('pgsql', 'COPY public.t (a) FROM stdin;\n1\n', () => 1 << 30).unfinished).toBe(true);
  });
});

describe('statements', () => {
  it('undoes every escape mysqldump writes, and keeps blobs as bytes', () => {
    const [, insert] = split('mysql', MYSQL, () => 1 << 30).out;
    const parsed = parseStatement(Buffer.from(insert!, 'latin1'), 'mysql');
    expect(parsed).toMatchObject({ kind: 'insert', table: { name: 'se;ss' }, columns: null });
    const rows = (parsed as { rows: unknown[][] }).rows;
    expect(rows.map((r) => r[0])).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(rows.map((r) => (Buffer.isBuffer(r[1]) ? r[1].toString('latin1') : r[1]))).toEqual(["a'b;c\\", "it's", 'dq"x;', 'b\0in', ';;', null, '-- not a comment']);
    const other = parseStatement(Buffer.from("INSERT INTO `t` (`a`,`b`) VALUES (-1.5e3,'\\%\\_\\Z\\n\\r\\t')", 'latin1'), 'mysql');
    expect(other).toMatchObject({ columns: ['a', 'b'], rows: [['-1.5e3', Buffer.from('\\%\\_\x1a\n\r\t', 'latin1')]] });
    expect(parseStatement(Buffer.from(split('mysql', MYSQL, () => 1 << 30).out[0]!, 'latin1'), 'mysql')).toEqual({
      kind: 'create', table: { schema: null, name: 'se;ss' }, columns: [{ name: 'uid', type: 'int' }, { name: 'data', type: 'longblob' }],
    });
  });

  it('reads PostgreSQL strings, casts and COPY fields', () => {
    const parsed = parseStatement(Buffer.from("INSERT INTO public.users VALUES (1, 'it''s', E'a\\'b\\x41\\101', '\\x5f73'::bytea, true)", 'latin1'), 'pgsql');
    expect(parsed).toMatchObject({ kind: 'insert', table: { schema: 'public', name: 'users' }, rows: [['1', Buffer.from("it's"), Buffer.from("a'bAA"), Buffer.from('\\x5f73'), '1']] });
    expect(copyValues(Buffer.from('2\t\\N\t200\tline\\nbreak\\ttab\\\\back\\101\t\\\\x5f73', 'latin1'))).toEqual([
      Buffer.from('2'), null, Buffer.from('200'), Buffer.from('line\nbreak\ttab\\backA'), Buffer.from('\\x5f73'),
    ]);
    expect(sqliteValue(Buffer.from('\\x5f73'), 'BLOB', 'pgsql')).toEqual(Buffer.from('_s'));
    expect(sqliteValue(Buffer.from('200'), 'INTEGER', 'pgsql')).toBe(200);
    expect(parseStatement(Buffer.from('COPY public."D8sessions" (uid, "timestamp") FROM stdin', 'latin1'), 'pgsql')).toEqual({
      kind: 'copy', table: { schema: 'public', name: 'D8sessions' }, columns: ['uid', 'timestamp'],
    });
  });

  it('names the table of a statement from its first bytes, and the Drupal table behind a prefix', () => {
    expect(statementTable('INSERT IGNORE INTO `D8sessions` VALUES (1', 'mysql')).toEqual({ verb: 'insert', table: { schema: null, name: 'D8sessions' } });
    expect(statementTable('CREATE TABLE IF NOT EXISTS public.d9_config (', 'pgsql')).toEqual({ verb: 'create', table: { schema: 'public', name: 'd9_config' } });
    expect(statementTable('SET NAMES utf8', 'mysql')).toBeNull();
    expect(auditTableOf('D8users_field_data')).toEqual({ base: 'users_field_data', prefix: 'D8' });
    expect(auditTableOf('D8users')).toEqual({ base: 'users', prefix: 'D8' });
    expect(auditTableOf('watchdog')).toBeNull();
    expect([affinityOf('int'), affinityOf('bigint'), affinityOf('longblob'), affinityOf('bytea'), affinityOf('varchar')]).toEqual(['INTEGER', 'INTEGER', 'BLOB', 'BLOB', 'TEXT']);
  });

  it('says what it cannot read', () => {
    expect(() => parseStatement(Buffer.from("INSERT INTO `t` VALUES (1,'open", 'latin1'), 'mysql')).toThrow(/string is not closed/);
    expect(() => parseStatement(Buffer.from('INSERT INTO `t` VALUES (1, @x)', 'latin1'), 'mysql')).toThrow(/unexpected "@" among values/);
    expect(() => parseStatement(Buffer.from('INSERT INTO `t` VALUES (1 2)', 'latin1'), 'mysql')).toThrow(/row of values is not closed/);
  });
});
