/**
 * Store administration behind {@code minsky sessiondb}: init, migration (with its journal),
 * import/export/restore, verify/repair/recover, reset and health checks. Everything here goes
 * through the {@link dev.minsky.store.StoreProvider}/{@link dev.minsky.store.SessionStore} SPI and
 * knows no backend's quirks. Internal: plugins should not build on these classes.
 */
package dev.minsky.admin;
