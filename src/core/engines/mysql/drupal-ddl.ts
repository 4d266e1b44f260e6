/**
 * Drupal's tables on MySQL/MariaDB, created exactly as Drupal 10.1+ creates them (column types,
 * collations, CHECKs, indexes): for the demo site, the tests and the benchmark.
 */
import type { Namespace } from '../dialect.js';
import { mysqlDialect } from './dialect.js';

/** MySQL/MariaDB: as in a real Drupal dump, with 10.1+'s bigint timestamps. */
export function drupalDdl(namespace: Namespace): string[] {
  const t = (table: string) => mysqlDialect.qualify(namespace, namespace.tablePrefix + table);
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


/** The persistent_login contrib module's table ("remember me"), as its hook_schema creates it. */
export function persistentLoginDdl(namespace: Namespace): string[] {
  const t = (table: string) => mysqlDialect.qualify(namespace, namespace.tablePrefix + table);
  return [
    `CREATE TABLE ${t('persistent_login')} (\`uid\` int(10) unsigned NOT NULL, \`series\` varchar(43) NOT NULL,
\`instance\` varchar(43) NOT NULL, \`created\` int(10) unsigned NOT NULL, \`refreshed\` int(10) unsigned NOT NULL,
\`expires\` int(10) unsigned NOT NULL, PRIMARY KEY (\`series\`), KEY \`expires\` (\`expires\`), KEY \`uid_expires\` (\`uid\`,\`expires\`))
ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci`,
  ];
}

/** Drupal's entity cache bin (DatabaseBackend::schemaDefinition), created at its first use. */
export function cacheEntityDdl(namespace: Namespace): string[] {
  const t = (table: string) => mysqlDialect.qualify(namespace, namespace.tablePrefix + table);
  return [
    `CREATE TABLE ${t('cache_entity')} (\`cid\` varchar(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
\`data\` longblob, \`expire\` int(11) NOT NULL DEFAULT '0', \`created\` decimal(14,3) NOT NULL DEFAULT '0.000',
\`serialized\` smallint(6) NOT NULL DEFAULT '0', \`tags\` longtext, \`checksum\` varchar(255) CHARACTER SET ascii NOT NULL,
PRIMARY KEY (\`cid\`), KEY \`expire\` (\`expire\`), KEY \`created\` (\`created\`))
ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci`,
  ];
}
