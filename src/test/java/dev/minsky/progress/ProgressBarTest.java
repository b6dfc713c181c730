package dev.minsky.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The renderer on a clock the test moves: delay, throttling, the last frame, erasing, the layout. */
class ProgressBarTest {
    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong(5_000 * MS);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get, 80);

    private String drawn() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private int frames() {
        return (int) drawn().chars().filter(c -> c == '\r').count();
    }

    private void at(long millisAfterStart) {
        now.set(5_000 * MS + millisAfterStart * MS);
    }

    @Test
    void nothing_is_drawn_in_the_first_second_so_fast_commands_print_nothing() {
        bar.phase("importing into sqlite", 1000);
        at(500);
        bar.advance(400);
        at(999);
        bar.advance(400);
        assertTrue(bar.tick());
        assertEquals("", drawn());
        bar.close();
        assertEquals("", drawn(), "a bar never shown leaves nothing to erase");
    }

    @Test
    void a_delay_of_zero_draws_the_first_phase_at_once() {
        bar.withDelay(0);
        bar.phase("checking the store", 3);
        assertEquals(1, frames(), "drawn at once: " + drawn());
        assertTrue(drawn().contains("checking the store"), drawn());
    }

    @Test
    void after_the_delay_frames_come_at_most_every_100_ms() {
        bar.phase("importing into sqlite", 100_000);
        at(1000);
        bar.advance(1000);
        assertEquals(1, frames(), drawn());
        for (int i = 1; i <= 99; i++) {
            at(1000 + i); // 99 records within the same frame interval
            bar.advance(1);
        }
        assertEquals(1, frames(), "throttled: " + drawn());
        at(1100);
        bar.advance(1);
        assertEquals(2, frames(), drawn());
        // ten seconds of advances every millisecond: at most ten frames a second
        for (int i = 1; i <= 10_000; i++) {
            at(1100 + i);
            bar.advance(1);
        }
        assertTrue(frames() <= 2 + 100, frames() + " frames in 10 s");
        assertTrue(frames() >= 90, frames() + " frames in 10 s");
    }

    @Test
    void reaching_the_total_is_drawn_at_once_and_close_erases_the_line() {
        bar.phase("copying to sqlite", 2000);
        at(1500);
        bar.advance(1000);
        at(1510);
        bar.advance(1000); // 10 ms after the last frame, but it is the total
        String s = drawn();
        String last = s.substring(s.lastIndexOf('\r') + 1);
        assertTrue(last.startsWith("copying to sqlite [====================] 2,000/2,000 100% 1,325/s 1s"), s);
        int width = last.stripTrailing().length(); // the blanks after it only cover a longer frame before
        bar.close();
        String closed = drawn().substring(s.length());
        assertEquals("\r" + " ".repeat(width) + "\r", closed, "erased: the next line starts clean");
        at(3000);
        bar.advance(5);
        bar.phase("more");
        assertFalse(bar.tick());
        assertEquals(s + closed, drawn(), "nothing after close");
    }

    @Test
    void a_frame_shows_bar_counts_percent_rate_and_eta_and_fits_the_terminal() {
        bar.phase("importing into sqlite", 100_000);
        at(3000);
        bar.advance(45_000);
        String line = bar.frame(now.get());
        assertEquals("importing into sqlite [=======>         ] 45,000/100,000 45% 15,000/s ETA 4s 3s", line,
                "the bar gives way to the words first");
        assertEquals(79, line.length());
        AtomicLong wideNow = new AtomicLong(0);
        ProgressBar wide = new ProgressBar(new PrintStream(new ByteArrayOutputStream()), wideNow::get, 120);
        wide.phase("importing into sqlite", 100_000);
        wideNow.set(3000 * MS);
        wide.advance(45_000);
        assertEquals("importing into sqlite [=========>          ] 45,000/100,000 45% 15,000/s ETA 4s 3s", wide.frame(wideNow.get()));
        AtomicLong narrowNow = new AtomicLong(0);
        ProgressBar narrow = new ProgressBar(new PrintStream(new ByteArrayOutputStream()), narrowNow::get, 60);
        narrow.phase("verifying the repaired sqlite store at /a/very/long/path/sessions.db", 10);
        narrowNow.set(1000 * MS);
        narrow.advance(5);
        String cut = narrow.frame(narrowNow.get());
        assertEquals(59, cut.length(), cut);
        assertEquals("verifying the repaired... [====>   ] 5/10 50% 5/s ETA 1s 1s", cut);
    }

    @Test
    void without_a_total_it_counts_and_without_counts_it_shows_the_step_and_the_time() {
        bar.phase("verifying the sqlite store");
        at(2000);
        bar.advance(20_000);
        assertEquals("verifying the sqlite store 20,000 10,000/s 2s", bar.frame(now.get()));
        bar.phase("checking sessions and workspaces (10/11)");
        at(62_000);
        assertEquals("checking sessions and workspaces (10/11)... 1m02s", bar.frame(now.get()));
    }

    @Test
    void a_shorter_frame_blanks_what_the_longer_one_left_and_identical_frames_are_not_redrawn() {
        bar.phase("a long step name here", 10);
        at(1000);
        bar.tick();
        String first = drawn();
        at(1100);
        bar.tick(); // same text (the elapsed second has not changed)
        assertEquals(first, drawn());
        bar.phase("short");
        at(1200);
        bar.tick();
        String second = drawn().substring(first.length());
        int longer = first.length() - 1;
        assertEquals(longer, second.length() - 1, "padded with blanks to the old width: '" + second + "'");
        assertTrue(second.startsWith("\rshort"), second);
    }

    @Test
    void a_line_or_a_question_takes_the_bar_away_until_the_work_goes_on() {
        bar.phase("fixing x", 10);
        at(1000);
        bar.advance(1);
        int before = drawn().length();
        bar.println("minsky: a line of its own");
        String after = drawn().substring(before);
        assertTrue(after.startsWith("\r") && after.contains("\rminsky: a line of its own" + System.lineSeparator()), after);
        bar.clear();
        int cleared = drawn().length();
        at(2000);
        bar.tick();
        assertEquals(cleared, drawn().length(), "hidden: the timer draws nothing over a prompt");
        bar.advance(1);
        assertTrue(drawn().length() > cleared, "back once the work goes on");
    }

    @Test
    void terminal_devices_are_told_from_pipes_files_and_dev_null() {
        assertTrue(Terminal.isTerminalDevice("/dev/pts/3"));
        assertTrue(Terminal.isTerminalDevice("/dev/tty1"));
        assertTrue(Terminal.isTerminalDevice("/dev/console"));
        assertFalse(Terminal.isTerminalDevice("pipe:[123456]"));
        assertFalse(Terminal.isTerminalDevice("/dev/null"));
        assertFalse(Terminal.isTerminalDevice("/tmp/err.log"));
        assertFalse(Terminal.isTerminalDevice("socket:[42]"));
    }
}
