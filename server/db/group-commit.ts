// SQLite with group commit: concurrent requests share one COMMIT, and so one fsync,
// instead of paying one each. While work is in flight the one connection holds an outer
// transaction; a Kysely transaction is a savepoint inside it (its failure undoes only its
// own work) and a lone statement runs inside it too (SQLite undoes a failed statement by
// itself). The outer transaction commits once the connection goes idle, or when a group
// has grown past its bounds, so a steady stream cannot put durability off for ever.
// Nobody gets an answer before the COMMIT of the group their work ran in: Kysely awaits
// releaseConnection() before it resolves a query or a transaction, and that is where we
// wait. Reads wait too, since they may have seen another caller's uncommitted write.
import type SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

/** What the driver needs of a better-sqlite3 handle (prepare may cache statements). */
export interface GroupedDatabase {
  prepare(sql: string): SQLite.Statement;
  exec(sql: string): unknown;
  readonly inTransaction: boolean;
  close(): unknown;
}

export interface GroupLimits {
  /** A group commits after this many statements even if more work is waiting. */
  maxStatements: number;
  /** …or once it has been open this long: other processes (the CLI) wait for our write lock meanwhile. */
  maxMs: number;
  /** How long to wait for the write lock another connection holds before giving up (SQLITE_BUSY). */
  busyTimeoutMs: number;
}

const DEFAULT_LIMITS: GroupLimits = { maxStatements: 1000, maxMs: 20, busyTimeoutMs: 5000 };

export class GroupCommitDialect implements Dialect {
  constructor(
    private readonly database: GroupedDatabase,
    private readonly limits: GroupLimits = DEFAULT_LIMITS,
  ) {}
  createDriver(): Driver {
    return new GroupCommitDriver(this.database, this.limits);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createAdapter() {
    return new SqliteAdapter();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new SqliteIntrospector(db);
  }
}

/** One outer transaction and everyone whose work ran in it. */
class Group {
  readonly openedAt = Date.now();
  statements = 0;
  failure: { error: unknown } | undefined;
  /** An idle check is due (setImmediate), or the commit is queued for the connection. */
  checkDue = false;
  commitQueued = false;
  readonly done: Promise<void>;
  settle!: (failure?: { error: unknown }) => void;
  constructor() {
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = (failure) => (failure ? reject(failure.error) : resolve());
    });
    // Everyone who ran in the group awaits `done`; this only keeps a failure from being "unhandled".
    this.done.catch(() => {});
  }
}

/** A Kysely transaction inside the outer one; one at a time holds the connection, so one name does. */
const SAVEPOINT = 'grouped_tx';

class GroupCommitDriver implements Driver {
  #db: GroupedDatabase;
  #limits: GroupLimits;
  #connection: DatabaseConnection;
  /** FIFO of those waiting for the connection; `#busy` while someone holds it. */
  #waiting: Array<() => void> = [];
  #busy = false;
  /** The open outer transaction, if any. */
  #group: Group | undefined;
  /** The group the holder of the connection runs in (it may have failed meanwhile). */
  #held: Group | undefined;

  constructor(db: GroupedDatabase, limits: GroupLimits) {
    this.#db = db;
    this.#limits = limits;
    this.#connection = {
      executeQuery: async <R>(query: CompiledQuery) => this.#run<R>(query),
      streamQuery: <R>(query: CompiledQuery) => this.#stream<R>(query),
    };
  }

  async init(): Promise<void> {
    // We wait for the write lock ourselves (#begin), without blocking the event loop:
    // SQLite's own busy wait would stall every request, and would never let another
    // connection in this process (a test's, a tool's) commit the lock it holds.
    this.#db.exec('pragma busy_timeout = 0');
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock();
    try {
      if (!this.#group) {
        await this.#begin();
        this.#group = new Group();
      }
    } catch (err) {
      this.#unlock();
      throw err;
    }
    this.#held = this.#group;
    return this.#connection;
  }

  async releaseConnection(): Promise<void> {
    const group = this.#held!;
    this.#held = undefined;
    this.#unlock();
    if (group === this.#group) this.#scheduleCommit(group);
    await group.done;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${SAVEPOINT}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${SAVEPOINT}`));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    // The outer transaction is gone already: there is nothing left to undo.
    if (this.#held?.failure) return;
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${SAVEPOINT}`));
    await connection.executeQuery(CompiledQuery.raw(`release ${SAVEPOINT}`));
  }

  async destroy(): Promise<void> {
    await this.#lock();
    if (this.#group) this.#commit(this.#group);
    this.#db.close();
  }

  #run<R>(query: CompiledQuery): QueryResult<R> {
    const group = this.#held!;
    if (group.failure) throw group.failure.error;
    group.statements++;
    const stmt = this.#db.prepare(query.sql);
    try {
      if (stmt.reader) return { rows: stmt.all(query.parameters) as R[] };
      const { changes, lastInsertRowid } = stmt.run(query.parameters);
      return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
    } catch (err) {
      // Most errors undo one statement; a few (I/O, disk full, …) roll the whole outer
      // transaction back, and with it the work of everyone in the group.
      if (!this.#db.inTransaction) this.#fail(group, err);
      throw err;
    }
  }

  async *#stream<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('SQLite streams only select queries');
    const group = this.#held!;
    if (group.failure) throw group.failure.error;
    for (const row of this.#db.prepare(query.sql).iterate(query.parameters)) yield { rows: [row as R] };
  }

  /** Commits when the connection goes idle (work arriving in this turn of the event loop joins), or past the bounds. */
  #scheduleCommit(group: Group): void {
    if (group.checkDue || group.commitQueued) return;
    group.checkDue = true;
    setImmediate(() => {
      group.checkDue = false;
      if (group !== this.#group || group.commitQueued) return;
      const full = group.statements >= this.#limits.maxStatements || Date.now() - group.openedAt >= this.#limits.maxMs;
      // Busy and not full: the holder's release looks again.
      if (this.#busy && !full) return;
      group.commitQueued = true;
      // Busy and full: the commit takes the connection in its turn; later work opens the next group.
      void this.#lock().then(() => {
        try {
          if (group === this.#group) this.#commit(group);
        } finally {
          this.#unlock();
        }
      });
    });
  }

  /**
   * IMMEDIATE takes the write lock now: a group that read first could not write later if
   * another connection (the CLI) had committed in between. While another holds it, retry.
   */
  async #begin(): Promise<void> {
    const deadline = Date.now() + this.#limits.busyTimeoutMs;
    for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
      try {
        this.#db.exec('begin immediate');
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  #commit(group: Group): void {
    this.#group = undefined;
    try {
      this.#db.exec('commit');
    } catch (err) {
      if (this.#db.inTransaction) this.#db.exec('rollback');
      group.failure = { error: err };
      group.settle(group.failure);
      return;
    }
    group.settle();
  }

  #fail(group: Group, error: unknown): void {
    if (this.#group === group) this.#group = undefined;
    group.failure = { error };
    group.settle(group.failure);
  }

  #lock(): Promise<void> {
    if (!this.#busy) {
      this.#busy = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Hands the connection straight to the next in line, if any. */
  #unlock(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#busy = false;
  }
}
