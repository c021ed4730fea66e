// Column shapes every migration uses, in the words of the store it runs on, so one set
// of migrations serves SQLite and PostgreSQL. Times are Unix milliseconds and amounts
// kopecks: both `bigint` (SQLite gives it integer affinity, PostgreSQL 8 bytes).
import { SqliteAdapter, type ColumnDataType, type CreateTableBuilder, type Kysely } from 'kysely';

/** Unix milliseconds, or an amount in kopecks. */
export const BIG: ColumnDataType = 'bigint';

export function isSqlite(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/** An auto-increment `id` primary key: SQLite's rowid alias, PostgreSQL's identity column. */
export function withId<T extends string>(db: Kysely<unknown>, table: CreateTableBuilder<T, never>) {
  return isSqlite(db)
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    : table.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity());
}
