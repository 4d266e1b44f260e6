/**
 * The tables the console reads, created exactly as Drupal 10.1+ creates them on each
 * engine (column types, collations, CHECKs, indexes), for the demo site and the
 * integration tests. On SQLite the NOCASE_UTF8 collation is applied afterwards by
 * `applyDrupalCollation` (see sqlite-site.ts), because no client but Drupal can register it.
 */
import type { Engine } from '../db/target.js';

type Qualify = (table: string) => string;

/** Where the tables go: a schema (SQLite attached db, PostgreSQL schema) and a name prefix. */
export interface TablePlace {
  schema: string | null;
  prefix: string;
}

/** SQLite: text entity fields as Drupal declares them, with NOCASE standing in for NOCASE_UTF8. */
function sqlite(schema: string): string[] {
  // In SQLite an index lives in its table's schema and names its table unqualified.
  const t = (table: string) => tableName('sqlite', { schema, prefix: '' }, table);
  const index = (table: string, name: string) => `"${schema}"."${table}__${name}"`;
  return [
    `CREATE TABLE ${t('users')} (
"uid" INTEGER NOT NULL CHECK ("uid">= 0),
"uuid" VARCHAR(128) COLLATE NOCASE NOT NULL,
"langcode" VARCHAR(12) NOT NULL,
 PRIMARY KEY ("uid")
)`,
    `CREATE UNIQUE INDEX ${index('users', 'user_field__uuid__value')} ON "users" ("uuid")`,
    `CREATE TABLE ${t('users_field_data')} (
"uid" INTEGER NOT NULL CHECK ("uid">= 0),
"langcode" VARCHAR(12) NOT NULL,
"preferred_langcode" VARCHAR(12) NULL DEFAULT NULL,
"preferred_admin_langcode" VARCHAR(12) NULL DEFAULT NULL,
"name" VARCHAR(60) COLLATE NOCASE NOT NULL,
"pass" VARCHAR(255) COLLATE NOCASE NULL DEFAULT NULL,
"mail" VARCHAR(254) COLLATE NOCASE NULL DEFAULT NULL,
"timezone" VARCHAR(32) COLLATE NOCASE NULL DEFAULT NULL,
"status" INTEGER NULL DEFAULT NULL,
"created" INTEGER NOT NULL,
"changed" INTEGER NULL DEFAULT NULL,
"access" INTEGER NOT NULL,
"login" INTEGER NULL DEFAULT NULL,
"init" VARCHAR(254) COLLATE NOCASE NULL DEFAULT NULL,
"default_langcode" INTEGER NOT NULL,
 PRIMARY KEY ("uid", "langcode")
)`,
    `CREATE UNIQUE INDEX ${index('users_field_data', 'user__name')} ON "users_field_data" ("name", "langcode")`,
    `CREATE INDEX ${index('users_field_data', 'user__id__default_langcode__langcode')} ON "users_field_data" ("uid", "default_langcode", "langcode")`,
    `CREATE INDEX ${index('users_field_data', 'user_field__mail')} ON "users_field_data" ("mail")`,
    `CREATE INDEX ${index('users_field_data', 'user_field__created')} ON "users_field_data" ("created")`,
    `CREATE INDEX ${index('users_field_data', 'user_field__access')} ON "users_field_data" ("access")`,
    `CREATE TABLE ${t('user__roles')} (
"bundle" VARCHAR(128) NOT NULL DEFAULT '',
"deleted" INTEGER NOT NULL DEFAULT 0,
"entity_id" INTEGER NOT NULL CHECK ("entity_id">= 0),
"revision_id" INTEGER NOT NULL CHECK ("revision_id">= 0),
"langcode" VARCHAR(32) NOT NULL DEFAULT '',
"delta" INTEGER NOT NULL CHECK ("delta">= 0),
"roles_target_id" VARCHAR(255) NOT NULL,
 PRIMARY KEY ("entity_id", "deleted", "delta", "langcode")
)`,
    `CREATE INDEX ${index('user__roles', 'bundle')} ON "user__roles" ("bundle")`,
    `CREATE INDEX ${index('user__roles', 'revision_id')} ON "user__roles" ("revision_id")`,
    `CREATE INDEX ${index('user__roles', 'roles_target_id')} ON "user__roles" ("roles_target_id")`,
    `CREATE TABLE ${t('config')} (
"collection" VARCHAR(255) NOT NULL DEFAULT '',
"name" VARCHAR(255) NOT NULL DEFAULT '',
"data" BLOB NULL DEFAULT NULL,
 PRIMARY KEY ("collection", "name")
)`,
    `CREATE TABLE ${t('sessions')} (
"uid" INTEGER NOT NULL CHECK ("uid">= 0),
"sid" VARCHAR(128) NOT NULL,
"hostname" VARCHAR(128) NOT NULL DEFAULT '',
"timestamp" INTEGER NOT NULL DEFAULT 0,
"session" BLOB NULL DEFAULT NULL,
 PRIMARY KEY ("sid")
)`,
    `CREATE INDEX ${index('sessions', 'timestamp')} ON "sessions" ("timestamp")`,
    `CREATE INDEX ${index('sessions', 'uid')} ON "sessions" ("uid")`,
    `CREATE TABLE ${t('watchdog')} (
"wid" INTEGER PRIMARY KEY AUTOINCREMENT,
"uid" INTEGER NOT NULL CHECK ("uid">= 0) DEFAULT 0,
"type" VARCHAR(64) NOT NULL DEFAULT '',
"message" TEXT NOT NULL,
"variables" BLOB NOT NULL,
"severity" INTEGER NOT NULL CHECK ("severity">= 0) DEFAULT 0,
"link" TEXT NULL DEFAULT NULL,
"location" TEXT NOT NULL,
"referer" TEXT NULL DEFAULT NULL,
"hostname" VARCHAR(128) NOT NULL DEFAULT '',
"timestamp" INTEGER NOT NULL DEFAULT 0
)`,
    `CREATE INDEX ${index('watchdog', 'type')} ON "watchdog" ("type")`,
    `CREATE INDEX ${index('watchdog', 'uid')} ON "watchdog" ("uid")`,
    `CREATE INDEX ${index('watchdog', 'severity')} ON "watchdog" ("severity")`,
  ];
}

function pgsql(t: Qualify): string[] {
  const u = (c: string) => `"${c}" bigint NOT NULL CHECK ("${c}" >= 0)`;
  return [
    `CREATE TABLE ${t('users')} (${u('uid')}, "uuid" varchar(128) NOT NULL, "langcode" varchar(12) NOT NULL, PRIMARY KEY ("uid"), UNIQUE ("uuid"))`,
    `CREATE TABLE ${t('users_field_data')} (
${u('uid')}, "langcode" varchar(12) NOT NULL, "preferred_langcode" varchar(12) default NULL,
"preferred_admin_langcode" varchar(12) default NULL, "name" varchar(60) NOT NULL, "pass" varchar(255) default NULL,
"mail" varchar(254) default NULL, "timezone" varchar(32) default NULL, "status" smallint default NULL,
"created" int NOT NULL, "changed" int default NULL, "access" int NOT NULL, "login" int default NULL,
"init" varchar(254) default NULL, "default_langcode" smallint NOT NULL,
PRIMARY KEY ("uid", "langcode"), UNIQUE ("name", "langcode"))`,
    `CREATE INDEX ON ${t('users_field_data')} ("uid", "default_langcode", "langcode")`,
    `CREATE INDEX ON ${t('users_field_data')} ("mail")`,
    `CREATE INDEX ON ${t('users_field_data')} ("access")`,
    `CREATE TABLE ${t('user__roles')} ("bundle" varchar(128) NOT NULL default '', "deleted" smallint NOT NULL default 0,
${u('entity_id')}, ${u('revision_id')}, "langcode" varchar(32) NOT NULL default '', ${u('delta')},
"roles_target_id" varchar(255) NOT NULL, PRIMARY KEY ("entity_id", "deleted", "delta", "langcode"))`,
    `CREATE INDEX ON ${t('user__roles')} ("roles_target_id")`,
    `CREATE TABLE ${t('config')} ("collection" varchar(255) NOT NULL default '', "name" varchar(255) NOT NULL default '',
"data" bytea default NULL, PRIMARY KEY ("collection", "name"))`,
    `CREATE TABLE ${t('sessions')} (${u('uid')}, "sid" varchar(128) NOT NULL, "hostname" varchar(128) NOT NULL default '',
"timestamp" bigint NOT NULL default 0, "session" bytea default NULL, PRIMARY KEY ("sid"))`,
    `CREATE INDEX ON ${t('sessions')} ("timestamp")`,
    `CREATE INDEX ON ${t('sessions')} ("uid")`,
    `CREATE TABLE ${t('watchdog')} ("wid" serial, "uid" bigint NOT NULL default 0 CHECK ("uid" >= 0),
"type" varchar(64) NOT NULL default '', "message" text NOT NULL, "variables" bytea NOT NULL,
"severity" smallint NOT NULL default 0 CHECK ("severity" >= 0), "link" text default NULL, "location" text NOT NULL,
"referer" text default NULL, "hostname" varchar(128) NOT NULL default '', "timestamp" bigint NOT NULL default 0,
PRIMARY KEY ("wid"))`,
    `CREATE INDEX ON ${t('watchdog')} ("uid")`,
  ];
}

/** MySQL/MariaDB: as in a real Drupal dump, with 10.1+'s bigint timestamps. */
function mysql(t: Qualify): string[] {
  const tail = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci';
  return [
    `CREATE TABLE ${t('users')} (\`uid\` int(10) unsigned NOT NULL, \`uuid\` varchar(128) CHARACTER SET ascii NOT NULL,
\`langcode\` varchar(12) CHARACTER SET ascii NOT NULL, PRIMARY KEY (\`uid\`), UNIQUE KEY \`user_field__uuid__value\` (\`uuid\`)) ${tail}`,
    `CREATE TABLE ${t('users_field_data')} (\`uid\` int(10) unsigned NOT NULL, \`langcode\` varchar(12) CHARACTER SET ascii NOT NULL,
\`preferred_langcode\` varchar(12) CHARACTER SET ascii DEFAULT NULL, \`preferred_admin_langcode\` varchar(12) CHARACTER SET ascii DEFAULT NULL,
\`name\` varchar(60) NOT NULL, \`pass\` varchar(255) DEFAULT NULL, \`mail\` varchar(254) DEFAULT NULL, \`timezone\` varchar(32) DEFAULT NULL,
\`status\` tinyint(4) DEFAULT NULL, \`created\` int(11) NOT NULL, \`changed\` int(11) DEFAULT NULL, \`access\` int(11) NOT NULL,
\`login\` int(11) DEFAULT NULL, \`init\` varchar(254) DEFAULT NULL, \`default_langcode\` tinyint(4) NOT NULL,
PRIMARY KEY (\`uid\`,\`langcode\`), UNIQUE KEY \`user__name\` (\`name\`,\`langcode\`),
KEY \`user__id__default_langcode__langcode\` (\`uid\`,\`default_langcode\`,\`langcode\`), KEY \`user_field__mail\` (\`mail\`(191)),
KEY \`user_field__created\` (\`created\`), KEY \`user_field__access\` (\`access\`)) ${tail}`,
    `CREATE TABLE ${t('user__roles')} (\`bundle\` varchar(128) CHARACTER SET ascii NOT NULL DEFAULT '', \`deleted\` tinyint(4) NOT NULL DEFAULT '0',
\`entity_id\` int(10) unsigned NOT NULL, \`revision_id\` int(10) unsigned NOT NULL, \`langcode\` varchar(32) CHARACTER SET ascii NOT NULL DEFAULT '',
\`delta\` int(10) unsigned NOT NULL, \`roles_target_id\` varchar(255) CHARACTER SET ascii NOT NULL,
PRIMARY KEY (\`entity_id\`,\`deleted\`,\`delta\`,\`langcode\`), KEY \`bundle\` (\`bundle\`), KEY \`revision_id\` (\`revision_id\`),
KEY \`roles_target_id\` (\`roles_target_id\`)) ${tail}`,
    `CREATE TABLE ${t('config')} (\`collection\` varchar(255) CHARACTER SET ascii NOT NULL DEFAULT '',
\`name\` varchar(255) CHARACTER SET ascii NOT NULL DEFAULT '', \`data\` longblob, PRIMARY KEY (\`collection\`,\`name\`)) ${tail}`,
    `CREATE TABLE ${t('sessions')} (\`uid\` int(10) unsigned NOT NULL, \`sid\` varchar(128) CHARACTER SET ascii NOT NULL,
\`hostname\` varchar(128) CHARACTER SET ascii NOT NULL DEFAULT '', \`timestamp\` bigint(20) NOT NULL DEFAULT '0', \`session\` longblob,
PRIMARY KEY (\`sid\`), KEY \`timestamp\` (\`timestamp\`), KEY \`uid\` (\`uid\`)) ${tail}`,
    `CREATE TABLE ${t('watchdog')} (\`wid\` bigint(20) unsigned NOT NULL AUTO_INCREMENT, \`uid\` int(10) unsigned NOT NULL DEFAULT '0',
\`type\` varchar(64) CHARACTER SET ascii NOT NULL DEFAULT '', \`message\` longtext NOT NULL, \`variables\` longblob NOT NULL,
\`severity\` tinyint(3) unsigned NOT NULL DEFAULT '0', \`link\` text, \`location\` text NOT NULL, \`referer\` text,
\`hostname\` varchar(128) CHARACTER SET ascii NOT NULL DEFAULT '', \`timestamp\` bigint(20) NOT NULL DEFAULT '0',
PRIMARY KEY (\`wid\`), KEY \`type\` (\`type\`), KEY \`uid\` (\`uid\`), KEY \`severity\` (\`severity\`)) ${tail}`,
  ];
}

/** A table's quoted name at `place`. SQLite prefixes are schemas (attached files), not name prefixes. */
export function tableName(engine: Engine, place: TablePlace, table: string): string {
  switch (engine) {
    case 'sqlite':
      return `"${place.schema ?? 'main'}"."${table}"`;
    case 'pgsql':
      return `"${place.schema ?? 'public'}"."${place.prefix}${table}"`;
    case 'mysql':
      return `\`${place.prefix}${table}\``;
  }
}

/** The CREATE statements for `engine`. */
export function drupalDdl(engine: Engine, place: TablePlace): string[] {
  const qualify = (table: string) => tableName(engine, place, table);
  switch (engine) {
    case 'sqlite':
      return sqlite(place.schema ?? 'main');
    case 'pgsql':
      return pgsql(qualify);
    case 'mysql':
      return mysql(qualify);
  }
}
