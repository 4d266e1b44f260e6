/** The database engines a Drupal site can run on, named once for every process. */
export const ENGINES = ['sqlite', 'pgsql', 'mysql'] as const;
export type Engine = (typeof ENGINES)[number];

export const ENGINE_LABELS: Record<Engine, string> = {
  sqlite: 'SQLite',
  pgsql: 'PostgreSQL',
  mysql: 'MySQL/MariaDB',
};

export const DEFAULT_PORTS = { pgsql: 5432, mysql: 3306 } as const;
