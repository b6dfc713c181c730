import dev.minsky.backend.sqlite.SqliteNative;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Run by bench/startup-floor.sh (issue 12): the least a command must do, in a JVM of its own, with
 * none of minsky's command line, config or output. Prints one line (so the run is not optimised
 * away), asserts nothing.
 *
 * <pre>
 *   StartupFloor none                    nothing: the JVM with the archive and this class
 *   StartupFloor get STORE_DB SESSION    opens the SQLite store with the driver minsky uses (the same
 *                                        cached native library) and reads one row
 *   StartupFloor doctor STORE_DB STATE   the same, then what a healthy verdict rests on at its least:
 *                                        PRAGMA quick_check, the session count, one listing of the
 *                                        workspaces, the newest backup's bytes and the free disk
 * </pre>
 */
public class StartupFloor {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("none")) {
            System.out.println("none");
            return;
        }
        SqliteNative.prepare();
        org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
        config.setReadOnly(true);
        StringBuilder out = new StringBuilder();
        try (Connection c = config.createConnection("jdbc:sqlite:" + args[1])) {
            if (args[0].equals("get")) {
                try (PreparedStatement st = c.prepareStatement("SELECT * FROM sessions WHERE session = ?")) {
                    st.setString(1, args[2]);
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                                out.append(rs.getString(i)).append(' ');
                            }
                        }
                    }
                }
            } else {
                try (Statement st = c.createStatement()) {
                    try (ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
                        rs.next();
                        out.append(rs.getString(1)).append(' ');
                    }
                    try (ResultSet rs = st.executeQuery("SELECT count(*), min(createdAt) FROM sessions")) {
                        rs.next();
                        out.append(rs.getLong(1)).append(' ').append(rs.getString(2)).append(' ');
                    }
                }
                Path state = Path.of(args[2]);
                int workspaces = 0;
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(state.resolve("sessions"))) {
                    for (Path ignored : ds) {
                        workspaces++;
                    }
                }
                Path newest = null;
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(state.resolve("backups"))) {
                    for (Path p : ds) {
                        if (newest == null || p.getFileName().toString().compareTo(newest.getFileName().toString()) > 0) {
                            newest = p;
                        }
                    }
                }
                long backupBytes = newest == null ? -1 : Files.readAllBytes(newest).length;
                out.append(workspaces).append(' ').append(backupBytes).append(' ')
                        .append(Files.getFileStore(state).getUsableSpace() > 0);
            }
        }
        System.out.println(out);
    }
}
