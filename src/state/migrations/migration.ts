/** One numbered schema change of the state database. Migrations only ever add; never edit a shipped one. */
export interface Migration {
  /** 1, 2, 3, ... without gaps; recorded in `schema_version`. */
  version: number;
  /** Short kebab-case name, matching the file name. */
  name: string;
  /** Statements run in one transaction. */
  sql: string;
  /**
   * The migration rebuilds a table that others reference (SQLite's way to change a constraint): the
   * runner turns foreign keys off around its transaction and runs `foreign_key_check` before the
   * commit, as https://www.sqlite.org/lang_altertable.html#otheralter prescribes.
   * @default false
   */
  rebuildsTables?: boolean;
}
