/**
 * The session store SPI. <b>Public plugin API</b>: {@link dev.minsky.store.StoreProvider} and
 * {@link dev.minsky.store.SessionStore} may be implemented by a plugin jar (registered in
 * {@code META-INF/services/dev.minsky.store.StoreProvider}). Sub-packages ({@code json},
 * {@code sqlite}, {@code postgres}) are internal: each keeps its backend's quirks to itself.
 */
package dev.minsky.store;
