package dev.minsky.backend.json;

import dev.minsky.store.FileStoreContract;

class JsonStoreContractTest extends FileStoreContract {
    @Override
    protected String backend() {
        return "json";
    }
}
