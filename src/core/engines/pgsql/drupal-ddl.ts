/**
 * Drupal's tables on PostgreSQL, created exactly as Drupal 10.1+ creates them (column types,
 * collations, CHECKs, indexes): for the demo site, the tests and the benchmark.
 */
import type { Namespace } from '../dialect.js';
import { pgsqlDialect } from './dialect.js';

export function drupalDdl(namespace: Namespace): string[] {
  const t = (table: string) => pgsqlDialect.qualify(namespace, namespace.tablePrefix + table);
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


/** The persistent_login contrib module's table ("remember me"), as its hook_schema creates it. */
export function persistentLoginDdl(namespace: Namespace): string[] {
  const t = (table: string) => pgsqlDialect.qualify(namespace, namespace.tablePrefix + table);
  const u = (c: string) => `"${c}" bigint NOT NULL CHECK ("${c}" >= 0)`;
  return [
    `CREATE TABLE ${t('persistent_login')} (${u('uid')}, "series" varchar(43) NOT NULL, "instance" varchar(43) NOT NULL,
${u('created')}, ${u('refreshed')}, ${u('expires')}, PRIMARY KEY ("series"))`,
    `CREATE INDEX ON ${t('persistent_login')} ("expires")`,
    `CREATE INDEX ON ${t('persistent_login')} ("uid", "expires")`,
  ];
}

/** Drupal's entity cache bin (DatabaseBackend::schemaDefinition), created at its first use. */
export function cacheEntityDdl(namespace: Namespace): string[] {
  const t = (table: string) => pgsqlDialect.qualify(namespace, namespace.tablePrefix + table);
  return [
    `CREATE TABLE ${t('cache_entity')} ("cid" varchar(255) NOT NULL default '', "data" bytea default NULL,
"expire" int NOT NULL default 0, "created" numeric(14, 3) NOT NULL default 0, "serialized" smallint NOT NULL default 0,
"tags" text default NULL, "checksum" varchar(255) NOT NULL, PRIMARY KEY ("cid"))`,
    `CREATE INDEX ON ${t('cache_entity')} ("expire")`,
    `CREATE INDEX ON ${t('cache_entity')} ("created")`,
  ];
}
