package dev.minsky.admin;

import dev.minsky.util.FileLocks;
import java.nio.file.Path;
import java.time.Duration;

/** Holds the sessiondb admin lock in its own process until its standard input closes. */
public final class AdminLockHolder {
    private AdminLockHolder() {}

    public static void main(String[] args) throws Exception {
        try (FileLocks.Held held = FileLocks.acquire(Path.of(args[0]).resolve(StoreAccess.ADMIN_LOCK), Duration.ofSeconds(10))) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the test to close our stdin
            }
        }
    }
}
