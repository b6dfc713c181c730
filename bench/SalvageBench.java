import dev.minsky.model.JsonSalvage;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Run by bench/salvage-bench.sh: prints figures, asserts nothing. */
public class SalvageBench {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        for (int n : new int[] {1_000, 10_000, 100_000}) {
            List<SessionRecord> rs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                rs.add(SessionRecord.create("task-" + i, "minsky", "https://example.com/minsky.git", Instant.ofEpochSecond(1_700_000_000L + i))
                        .with("taskId", "md#" + i).with("branch", "task-" + i).with("repoPath", "/home/u/.local/state/minsky/sessions/task-" + i));
            }
            byte[] data = SessionJson.write(rs);
            // 4 KiB of garbage (braces, quotes, NULs included) over the middle
            Random rnd = new Random(1);
            for (int i = data.length / 2; i < data.length / 2 + 4096; i++) {
                data[i] = (byte) "{}[]\",:x#\u0000".charAt(rnd.nextInt(10));
            }
            long[] ms = new long[runs];
            int kept = 0;
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                kept = JsonSalvage.read(data).records().size();
                ms[r] = (System.nanoTime() - t0) / 1_000_000;
            }
            Arrays.sort(ms);
            System.out.printf("  %,7d records, %,11d bytes, 4 KiB garbage mid-file: kept %,7d, salvage median %5d ms (min %d)%n",
                    n, data.length, kept, ms[runs / 2], ms[0]);
        }
    }
}
