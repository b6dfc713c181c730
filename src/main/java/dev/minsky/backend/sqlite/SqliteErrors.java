package dev.minsky.backend.sqlite;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Turns SQLite's result codes into errors a user can act on, with the guide's code names
 * (SQLITE_BUSY, SQLITE_CORRUPT, ...) in the message so that the guide and the doctor can be found
 * from it.
 */
final class SqliteErrors {
    static final int BUSY = 5;
    static final int LOCKED = 6;
    static final int READONLY = 8;
    static final int IOERR = 10;
    static final int CORRUPT = 11;
    static final int FULL = 13;
    static final int CANTOPEN = 14;
    static final int CONSTRAINT = 19;
    static final int NOTADB = 26;

    private SqliteErrors() {}

    /** The primary result code (extended codes carry it in their low byte), or -1. */
    static int primary(SQLException e) {
        if (e instanceof SQLiteException se && se.getResultCode() != null && se.getResultCode() != SQLiteErrorCode.UNKNOWN_ERROR) {
            return se.getResultCode().code & 0xff;
        }
        return e.getErrorCode() > 0 ? e.getErrorCode() & 0xff : -1;
    }

    /** The code's name, extended when the driver knows it (e.g. SQLITE_IOERR_SHORT_READ). */
    static String name(SQLException e) {
        if (e instanceof SQLiteException se && se.getResultCode() != null && se.getResultCode() != SQLiteErrorCode.UNKNOWN_ERROR) {
            return se.getResultCode().name();
        }
        return switch (primary(e)) {
            case BUSY -> "SQLITE_BUSY";
            case LOCKED -> "SQLITE_LOCKED";
            case READONLY -> "SQLITE_READONLY";
            case IOERR -> "SQLITE_IOERR";
            case CORRUPT -> "SQLITE_CORRUPT";
            case FULL -> "SQLITE_FULL";
            case CANTOPEN -> "SQLITE_CANTOPEN";
            case CONSTRAINT -> "SQLITE_CONSTRAINT";
            case NOTADB -> "SQLITE_NOTADB";
            default -> "SQLITE_ERROR";
        };
    }

    static boolean isCorruption(SQLException e) {
        int p = primary(e);
        return p == CORRUPT || p == NOTADB;
    }

    static MinskyException notADatabase(Path file) {
        return new dev.minsky.StoreUnreadable(
                file + " is not an SQLite database (SQLITE_NOTADB: file is not a database)",
                "nothing was changed; 'minsky doctor' tells what the file is (a JSON store there can be imported with"
                        + " 'minsky doctor --fix'); otherwise move it aside or set sessiondb.dbPath to another file", null);
    }

    /**
     * @param file the database
     * @param doing what was being done, e.g. "reading" or "writing"
     * @param busyMillis the busy timeout in force, for the lock message
     */
    static MinskyException map(SQLException e, Path file, String doing, int busyMillis) {
        String code = name(e);
        return switch (primary(e)) {
            case BUSY, LOCKED -> new MinskyException(ExitCode.INCOMPLETE,
                    "the database " + file + " is locked by another process (" + code + "): could not get its "
                            + (doing.startsWith("read") ? "read" : "write") + " lock within " + busyMillis + " ms",
                    "wait for the other minsky (or sqlite3) process to finish and run the command again; "
                            + "'minsky doctor' shows which process holds the lock", e);
            case NOTADB -> notADatabase(file);
            case CORRUPT -> new dev.minsky.StoreUnreadable(
                    "the database " + file + " is damaged (" + code + ": database disk image is malformed) while " + doing,
                    "run 'minsky sessiondb repair --backend sqlite --auto-recover' (it keeps the original beside the"
                            + " repaired file) or restore a backup; 'minsky doctor' explains", e);
            case READONLY -> new MinskyException(ExitCode.INCOMPLETE,
                    "cannot write the database " + file + " (" + code + ": attempt to write a readonly database)",
                    "make the file and its directory writable by you (SQLite creates -wal and -shm files beside it),"
                            + " or move sessiondb.dbPath to a writable filesystem; 'minsky doctor --fix' can do it", e);
            case CANTOPEN -> SqliteFiles.directoryReadOnly(file) ? new MinskyException(ExitCode.INCOMPLETE,
                    "cannot open the database " + file + " for " + doing + " (" + code + "): its directory "
                            + file.toAbsolutePath().getParent() + " is read-only, and SQLite must create its -wal and -shm files there",
                    "make the directory writable by you, or move sessiondb.dbPath to a writable filesystem"
                            + " ('minsky doctor' tells whether the filesystem is mounted read-only)", e)
                    : new MinskyException(ExitCode.INCOMPLETE,
                    "cannot open the database " + file + " (" + code + ": unable to open database file)",
                    "check that the path is a file, not a directory, and that its directory exists and is writable;"
                            + " 'minsky doctor' explains", e);
            case FULL -> new MinskyException(ExitCode.INCOMPLETE,
                    "the disk holding " + file + " is full (" + code + ": database or disk is full); nothing was written",
                    "free some space (e.g. 'minsky session clean --older-than 90d', old backups) or move"
                            + " sessiondb.dbPath to a larger filesystem", e);
            case IOERR -> new MinskyException(ExitCode.INCOMPLETE,
                    "I/O error while " + doing + " the database " + file + " (" + code + ")",
                    "check the disk and the filesystem (dmesg); 'minsky doctor' checks the store", e);
            default -> new MinskyException(ExitCode.INCOMPLETE,
                    "SQLite failed while " + doing + " " + file + " (" + code + "): " + e.getMessage(),
                    "'minsky doctor' checks the store and explains what to do", e);
        };
    }
}
