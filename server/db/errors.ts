// What a database error means, whatever the store: callers never match a driver's text.

/** The unique key of a table, by its columns in declaration order. */
export interface UniqueKey {
  table: string;
  columns: readonly string[];
}

/**
 * True when `err` is a unique-constraint violation (of `key`, when given). SQLite names
 * the columns in its message ("UNIQUE constraint failed: t.a, t.b"); PostgreSQL answers
 * SQLSTATE 23505 with the table and "Key (a, b)=(…) already exists".
 */
export function isUniqueViolation(err: unknown, key?: UniqueKey): boolean {
  const e = err as { code?: unknown; message?: unknown; table?: unknown; detail?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const message = typeof e.message === 'string' ? e.message : '';
  if (e.code === '23505') {
    if (!key) return true;
    return (
      e.table === key.table && typeof e.detail === 'string' && e.detail.startsWith(`Key (${key.columns.join(', ')})=`)
    );
  }
  if (
    typeof e.code === 'string' &&
    e.code.startsWith('SQLITE_CONSTRAINT') &&
    /UNIQUE constraint failed/.test(message)
  ) {
    if (!key) return true;
    return message.includes(`UNIQUE constraint failed: ${key.columns.map((c) => `${key.table}.${c}`).join(', ')}`);
  }
  return false;
}
