/** One numbered schema change of the state database. Migrations only ever add; never edit a shipped one. */
export interface Migration {
  /** 1, 2, 3, ... without gaps; recorded in `schema_version`. */
  version: number;
  /** Short kebab-case name, matching the file name. */
  name: string;
  /** Statements run in one transaction. */
  sql: string;
}
