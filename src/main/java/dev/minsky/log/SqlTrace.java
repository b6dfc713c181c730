package dev.minsky.log;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.function.Consumer;

/**
 * Each SQL statement a store sends, for {@code MINSKY_LOG_LEVEL=debug}: a connection wrapped here
 * reports the text of every statement it prepares or executes (never the bound values, so no
 * record data; the log masks secrets besides). The sink is set per run by the CLI and is null,
 * and the connection left unwrapped, when the run does not log at debug level.
 */
public final class SqlTrace {
    private static volatile Consumer<String> sink;

    private SqlTrace() {}

    /** Where statements go for this run; null to stop. */
    public static void sink(Consumer<String> s) {
        sink = s;
    }

    /** {@code c} itself when nobody listens, else a connection that reports its statements. */
    public static Connection wrap(Connection c) {
        Consumer<String> s = sink;
        // already ours; another proxy (the PostgreSQL store's connection-slot guard) is traced like any connection
        if (c == null || s == null || (Proxy.isProxyClass(c.getClass()) && Proxy.getInvocationHandler(c) instanceof Tracing)) {
            return c;
        }
        return (Connection) Proxy.newProxyInstance(SqlTrace.class.getClassLoader(), new Class<?>[] {Connection.class},
                new Tracing(c, s));
    }

    private record Tracing(Object target, Consumer<String> sink) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            String name = m.getName();
            if ((name.startsWith("prepare") || name.startsWith("execute") || name.equals("addBatch"))
                    && args != null && args.length > 0 && args[0] instanceof String sql) {
                sink.accept(sql.strip().replaceAll("\\s+", " "));
            }
            if (name.equals("unwrap") && args != null && args[0] instanceof Class<?> k && k.isInstance(target)) {
                return target;
            }
            Object r;
            try {
                r = m.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (r instanceof Statement st && m.getName().equals("createStatement")) {
                return Proxy.newProxyInstance(SqlTrace.class.getClassLoader(), new Class<?>[] {Statement.class}, new Tracing(st, sink));
            }
            return r;
        }
    }
}
