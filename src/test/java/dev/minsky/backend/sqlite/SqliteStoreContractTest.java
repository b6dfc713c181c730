package dev.minsky.backend.sqlite;

import dev.minsky.store.FileStoreContract;

class SqliteStoreContractTest extends FileStoreContract {
    @Override
    protected String backend() {
        return "sqlite";
    }
}
