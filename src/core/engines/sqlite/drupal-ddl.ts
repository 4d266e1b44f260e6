/**
 * Drupal's tables on SQLite, created exactly as Drupal 10.1+ creates them (column types,
 * collations, CHECKs, indexes): for the demo site, the tests and the benchmark.
 * NOCASE stands in for NOCASE_UTF8 here; `applyDrupalCollation` (site-builder/sqlite-site.ts)
 * puts Drupal's collation in afterwards, because no client but Drupal can register it.
 */
import type { Namespace } from '../dialect.js';
import { sqliteDialect } from './dialect.js';

/** SQLite: text entity fields as Drupal declares them, with NOCASE standing in for NOCASE_UTF8. */
export function drupalDdl(namespace: Namespace): string[] {
  const schema = namespace.name ?? 'main';
  // In SQLite an index lives in its table's schema and names its table unqualified.
  const t = (table: string) => sqliteDialect.qualify({ name: schema, tablePrefix: '' }, table);
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


/**
 * The persistent_login contrib module's table ("remember me"), as its hook_schema
 * creates it through Drupal's SQLite driver.
 */
export function persistentLoginDdl(namespace: Namespace): string[] {
  const schema = namespace.name ?? 'main';
  const t = (table: string) => `"${schema}"."${table}"`;
  const index = (table: string, name: string) => `"${schema}"."${table}__${name}"`;
  return [
    `CREATE TABLE ${t('persistent_login')} (
"uid" INTEGER NOT NULL CHECK ("uid">= 0),
"series" VARCHAR(43) NOT NULL,
"instance" VARCHAR(43) NOT NULL,
"created" INTEGER NOT NULL CHECK ("created">= 0),
"refreshed" INTEGER NOT NULL CHECK ("refreshed">= 0),
"expires" INTEGER NOT NULL CHECK ("expires">= 0),
 PRIMARY KEY ("series")
)`,
    `CREATE INDEX ${index('persistent_login', 'expires')} ON "persistent_login" ("expires")`,
    `CREATE INDEX ${index('persistent_login', 'uid_expires')} ON "persistent_login" ("uid", "expires")`,
  ];
}

/** Drupal's entity cache bin (DatabaseBackend::schemaDefinition), created at its first use. */
export function cacheEntityDdl(namespace: Namespace): string[] {
  const schema = namespace.name ?? 'main';
  const t = (table: string) => `"${schema}"."${table}"`;
  const index = (table: string, name: string) => `"${schema}"."${table}__${name}"`;
  return [
    `CREATE TABLE ${t('cache_entity')} (
"cid" VARCHAR(255) NOT NULL DEFAULT '',
"data" BLOB NULL DEFAULT NULL,
"expire" INTEGER NOT NULL DEFAULT 0,
"created" NUMERIC(14, 3) NOT NULL DEFAULT 0,
"serialized" INTEGER NOT NULL DEFAULT 0,
"tags" TEXT NULL DEFAULT NULL,
"checksum" VARCHAR(255) NOT NULL,
 PRIMARY KEY ("cid")
)`,
    `CREATE INDEX ${index('cache_entity', 'expire')} ON "cache_entity" ("expire")`,
    `CREATE INDEX ${index('cache_entity', 'created')} ON "cache_entity" ("created")`,
  ];
}
