/**
 * What the SQL backends ({@code store.sqlite}, {@code store.postgres}) share: mapping a record to
 * a row of the {@code sessions} table and back, and the plain SQL both dialects speak. Internal,
 * not plugin API: a backend describes its columns with a {@link dev.minsky.store.jdbc.RowFormat}
 * and keeps its own dialect (locking, paging, schema probing) in its own package.
 */
package dev.minsky.store.jdbc;
