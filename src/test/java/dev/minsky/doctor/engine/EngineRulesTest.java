package dev.minsky.doctor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.doctor.model.Fact;
import dev.minsky.doctor.model.Finding;
import dev.minsky.doctor.model.Remediation;
import dev.minsky.doctor.model.Safety;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the generic rules in rules/generic.drl add on top of the playbooks. */
class EngineRulesTest {
    static Engine engine;

    @BeforeAll
    static void build() {
        engine = Engine.build(PlaybookLoader.load(List.of()).causes());
    }

    static List<Fact> facts(Object... kv) {
        List<Fact> out = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.add(new Fact((String) kv[i], kv[i + 1], "test"));
        }
        return out;
    }

    static Finding only(List<Finding> fs, String cause) {
        return fs.stream().filter(f -> f.cause().equals(cause)).findFirst().orElseThrow(() -> new AssertionError(cause + " not in " + fs));
    }

    static final Object[] STALE_WAL = {"config.backend", "sqlite", "store.path", "/s/sessions.db", "store.exists", true,
            "sqlite.header.ok", true, "sqlite.wal.exists", true, "sqlite.shm.exists", true, "sqlite.wal.bytes", 32992L, "sqlite.wal.uncheckpointedFrames", 8L,
            "sqlite.holders.count", 0L};

    @Test
    void a_failed_probe_lowers_confidence_but_does_not_hide_the_cause() {
        double clean = only(engine.diagnose(facts(STALE_WAL)), "sqlite.stale-wal").confidence();
        List<Object> kv = new ArrayList<>(List.of(STALE_WAL));
        kv.addAll(List.of("probe.sqlite.holders.failed", true));
        Finding f = only(engine.diagnose(facts(kv.toArray())), "sqlite.stale-wal");
        assertTrue(f.confidence() < clean, f.confidence() + " < " + clean);
        assertTrue(f.evidence().stream().anyMatch(e -> e.fact().equals("probe.sqlite.holders.failed") && !e.supports()));
    }

    @Test
    void stale_wal_is_checkpointed_and_deleting_it_is_shown_as_destructive_with_its_warning() {
        Finding f = only(engine.diagnose(facts(STALE_WAL)), "sqlite.stale-wal");
        assertEquals("sqlite.checkpoint-wal", f.remediations().get(0).id());
        assertEquals(Safety.SAFE, f.remediations().get(0).safety());
        Remediation rm = f.remediations().stream().filter(r -> r.id().equals("sqlite.delete-wal")).findFirst().orElseThrow();
        assertEquals(Safety.DESTRUCTIVE, rm.safety());
        assertEquals("rm /s/sessions.db-shm /s/sessions.db-wal", rm.command());
        assertTrue(rm.warning().contains("silently drops committed transactions"), rm.warning());
    }

    @Test
    void a_reversible_fix_is_preceded_by_a_backup_and_on_a_wal_database_by_a_checkpoint() {
        List<Finding> fs = engine.diagnose(facts("config.backend", "sqlite", "store.path", "/s/sessions.db", "store.exists", true,
                "sqlite.header.ok", true, "sqlite.quickCheck.ok", false, "sqlite.wal.bytes", 100L, "sqlite.holders.count", 0L));
        // corrupt: backup first, but no checkpoint of a damaged database
        List<String> corrupt = only(fs, "sqlite.corrupt").remediations().stream().map(Remediation::id).toList();
        assertEquals(List.of("backup.create", "sqlite.recover"), corrupt);

        List<Finding> full = engine.diagnose(facts("config.backend", "sqlite", "store.path", "/s/sessions.db", "store.exists", true,
                "fs.freeBytes", 0L, "sessions.olderThan90d", 4L, "sqlite.wal.bytes", 100L, "sqlite.holders.count", 0L));
        List<String> plan = only(full, "sqlite.disk-full").remediations().stream().map(Remediation::id).toList();
        assertEquals(List.of("disk.free-space", "sqlite.checkpoint-wal", "backup.create", "sessions.clean-old"), plan);
    }

    @Test
    void conditional_remediations_follow_the_facts() {
        List<Object> base = List.of("config.backend", "sqlite", "store.path", "/s/sessions.db", "store.exists", true,
                "store.writable", false, "fs.readonly", false);
        List<Object> mine = new ArrayList<>(base);
        mine.addAll(List.of("store.ownedByUser", true));
        List<Object> theirs = new ArrayList<>(base);
        theirs.addAll(List.of("store.ownedByUser", false));
        assertEquals(List.of("fs.chmod-owner"), only(engine.diagnose(facts(mine.toArray())), "sqlite.readonly-permissions")
                .remediations().stream().map(Remediation::id).toList());
        assertEquals(List.of("fs.permissions-manual"), only(engine.diagnose(facts(theirs.toArray())), "sqlite.readonly-permissions")
                .remediations().stream().map(Remediation::id).toList());
    }

    @Test
    void placeholders_are_filled_from_facts_and_a_missing_one_is_visible() {
        Finding f = only(engine.diagnose(facts("config.backend", "postgres", "postgres.connect.kind", "refused",
                "postgres.connect.sqlstate", "08001", "postgres.host", "db.example", "postgres.port", 5999L)), "postgres.server-down");
        assertEquals("pg_isready -h db.example -p 5999; systemctl status postgresql", f.remediations().get(0).command());
        assertEquals("a <b.c> d", Engine.fill("a ${b.c} d", java.util.Map.of()));
    }

    @Test
    void ranking_puts_the_most_likely_first_and_confidence_comes_from_the_evidence() {
        // Two causes at once: a missing table and a rollback journal.
        List<Finding> fs = engine.diagnose(facts("config.backend", "sqlite", "store.exists", true, "sqlite.open.ok", true,
                "sqlite.table.sessions", false, "sqlite.journalMode", "delete", "sessions.count", 0L));
        assertEquals("sqlite.schema-missing", fs.get(0).cause());
        assertEquals("perf.wal-disabled", fs.get(1).cause());
        assertTrue(fs.get(0).confidence() >= fs.get(1).confidence());
        // One more piece of support raises the confidence of the same cause.
        double one = only(engine.diagnose(facts("config.backend", "sqlite", "store.exists", true, "sqlite.holders.count", 1L)),
                "sqlite.locked-by-process").confidence();
        double two = only(engine.diagnose(facts("config.backend", "sqlite", "store.exists", true, "sqlite.holders.count", 1L,
                "sqlite.writeLock.available", false)), "sqlite.locked-by-process").confidence();
        assertTrue(two > one, two + " > " + one);
    }

    @Test
    void distinct_conditions_on_one_fact_never_share_an_alpha_node() {
        // equals 0 and greater 0 on the same fact: if Drools shared their node, one rule would fire for the other.
        List<Finding> busy = engine.diagnose(facts(STALE_WAL[0], STALE_WAL[1], "store.exists", true, "sqlite.wal.exists", true,
                "sqlite.holders.count", 2L, "sqlite.writeLock.available", false));
        assertEquals("sqlite.locked-by-process", busy.get(0).cause());
        assertTrue(busy.stream().noneMatch(f -> f.cause().equals("sqlite.stale-wal")), busy.toString());
    }
}
