package dev.minsky.store.json;

import dev.minsky.store.FileStoreContract;

class JsonStoreContractTest extends FileStoreContract {
    @Override
    protected String backend() {
        return "json";
    }
}
