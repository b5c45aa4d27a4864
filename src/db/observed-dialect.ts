/**
 * A dialect that tells every statement sent to the database (BEGIN and COMMIT included): one call is
 * one round trip. For tests that count them and for metrics; without an observer nothing is wrapped.
 */
import type { DatabaseConnection, Dialect, Driver } from 'kysely';

export type RoundTripObserver = (sql: string) => void;

function observedConnection(
  connection: DatabaseConnection,
  observe: RoundTripObserver,
): DatabaseConnection {
  return new Proxy(connection, {
    get(target, prop) {
      if (prop === 'executeQuery')
        return (compiled: Parameters<DatabaseConnection['executeQuery']>[0]) => {
          observe(compiled.sql);
          return target.executeQuery(compiled);
        };
      if (prop === 'streamQuery')
        return (...args: Parameters<DatabaseConnection['streamQuery']>) => {
          observe(args[0].sql);
          return target.streamQuery(...args);
        };
      const value = Reflect.get(target, prop, target) as unknown;
      // Drivers call private members of their own connections: those need the real object as `this`.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export function observedDialect(dialect: Dialect, observe: RoundTripObserver): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver: (): Driver => {
      const driver = dialect.createDriver();
      const real = new WeakMap<DatabaseConnection, DatabaseConnection>();
      const unwrap = (c: DatabaseConnection) => real.get(c) ?? c;
      return {
        init: () => driver.init(),
        destroy: () => driver.destroy(),
        acquireConnection: async () => {
          const connection = await driver.acquireConnection();
          const wrapped = observedConnection(connection, observe);
          real.set(wrapped, connection);
          return wrapped;
        },
        // The driver's own statements (BEGIN, COMMIT, ROLLBACK) go through the wrapped connection.
        beginTransaction: (c, settings) => driver.beginTransaction(c, settings),
        commitTransaction: (c) => driver.commitTransaction(c),
        rollbackTransaction: (c) => driver.rollbackTransaction(c),
        releaseConnection: (c) => driver.releaseConnection(unwrap(c)),
      };
    },
  };
}
