/**
 * The app's Compare: the open site against an older copy of it (a saved connection: a
 * dump, a SQLite file, a database), opened read-only, the operator signed in there too.
 * The other copy stays open while the comparison is on screen, so that its export writes
 * every change without asking for the password again; it closes with the next one, at
 * sign-out and at disconnect.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { DIFF_CSV_COLUMNS, diffCsvRow, summarizeDiff } from '../../core/drupal/site-diff.js';
import { csvRows, toCsv } from '../../core/export/csv.js';
import type { Inspector, Operator } from '../../core/inspector/inspector.js';
import type { SiteDiff } from '../../shared/domain.js';
import type { ExportResult } from '../../shared/ipc/contract.js';
import { writeFileSync } from 'node:fs';

/** Changes the app lists; the export writes them all. */
export const COMPARE_LISTED = 1000;

export class Comparison {
  private constructor(
    private readonly before: Inspector,
    private readonly beforeOperator: Operator,
    readonly profileName: string,
  ) {}

  /** Signs in on the other copy (its own password check, flood control and access rule). */
  static async open(before: Inspector, operatorName: string, password: string, profileName: string): Promise<Comparison> {
    try {
      return new Comparison(before, await before.signIn(operatorName, password), profileName);
    } catch (error) {
      await before.site.db.close();
      throw error;
    }
  }

  private sides(after: Inspector): Pick<SiteDiff, 'before' | 'after'> {
    return {
      before: { site: this.before.snapshot?.source.path ?? this.before.site.db.description, asOf: this.before.asOf() },
      after: { site: after.snapshot?.source.path ?? after.site.db.description, asOf: after.asOf() },
    };
  }

  async summary(after: Inspector, operator: Operator): Promise<SiteDiff> {
    return summarizeDiff(await after.diffFrom(operator, this.before, this.beforeOperator), this.sides(after), COMPARE_LISTED);
  }

  /** Every change as CSV (streamed to the file), with a .meta.json beside it, as the other exports. */
  async exportCsv(after: Inspector, operator: Operator, chooseFile: (name: string) => Promise<string | null>, version: string): Promise<ExportResult> {
    const changes = await after.diffFrom(operator, this.before, this.beforeOperator);
    const stamp = new Date(after.asOf() * 1000).toISOString().slice(0, 16).replace(/[:T]/g, '-');
    const file = await chooseFile(`changes-${stamp}.csv`);
    if (file === null) return { file: null, rows: 0 };
    const out = createWriteStream(file, { mode: 0o600 });
    let rows = 0;
    out.write(toCsv(DIFF_CSV_COLUMNS, []));
    for await (const change of changes) {
      rows++;
      if (!out.write(csvRows([diffCsvRow(change)]))) await once(out, 'drain');
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    const meta = { kind: 'diff', ...this.sides(after), operator: { uid: operator.uid, name: operator.name }, rows, exportedAt: new Date().toISOString(), tool: `Session Inspector ${version}` };
    writeFileSync(`${file.replace(/\.csv$/i, '')}.meta.json`, JSON.stringify(meta, null, 2) + '\n', { mode: 0o600 });
    return { file, rows };
  }

  async close(): Promise<void> {
    await this.before.site.db.close();
  }
}
