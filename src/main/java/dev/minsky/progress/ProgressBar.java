package dev.minsky.progress;

import dev.minsky.store.Progress;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress indicator on a terminal's standard error, redrawn in place with a carriage
 * return: the step, and with a known total a bar, {@code done/total}, percent, rate and ETA
 * ({@code importing 100000 sessions [=====>    ] 45,000/100,000 45% 9,120/s ETA 6s}).
 *
 * <p>Nothing is drawn in the first {@link #DELAY_NANOS} (fast commands print nothing), then at most
 * once per {@link #FRAME_NANOS}; a step that reaches its total is drawn at once so that the last
 * frame shows it. {@link #close} erases the line. Only ASCII is drawn by the bar itself; step texts
 * go through the (ASCII-spelling under {@code LANG=C}) stream they are printed on. Work that runs
 * inside one long call (an integrity check) reports nothing; {@link #tick}, called by a timer,
 * keeps the elapsed time moving then. All methods are thread-safe.
 */
public final class ProgressBar implements Progress, AutoCloseable {
    public static final long DELAY_NANOS = 1_000_000_000L;
    public static final long FRAME_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 20;
    private static final int MIN_BAR_WIDTH = 8;

    private final PrintStream err;
    private final LongSupplier nanos;
    private final int columns;
    private final long start;
    private String phase = "working";
    private long phaseStart;
    private long total = -1;
    private long done;
    private long lastFrame = Long.MIN_VALUE;
    private int shownWidth;
    private String shown = "";
    private boolean drawnFinal;
    private boolean closed;
    private boolean hidden;
    private Thread ticker;
    /** How long nothing is drawn: {@link #DELAY_NANOS} unless {@link #withDelay} says otherwise. */
    private long delayNanos = DELAY_NANOS;

    /**
     * @param err the terminal's standard error
     * @param nanos the clock ({@link System#nanoTime} outside tests)
     * @param columns the terminal's width: a frame is cut to one less, so it never wraps
     */
    public ProgressBar(PrintStream err, LongSupplier nanos, int columns) {
        this.err = err;
        this.nanos = nanos;
        this.columns = Math.max(20, columns);
        this.start = nanos.getAsLong();
        this.phaseStart = start;
    }

    /**
     * Draws after {@code millis} instead of the usual second ({@code MINSKY_PROGRESS_DELAY_MS}: 0 shows
     * progress from the start, e.g. to see which probe a fast doctor run is on). Returns this bar.
     */
    public ProgressBar withDelay(long millis) {
        this.delayNanos = Math.max(0, millis) * 1_000_000L;
        return this;
    }

    /** A bar on the real clock whose elapsed time moves on by itself (a daemon timer calls {@link #tick}). */
    public static ProgressBar started(PrintStream err, int columns) {
        ProgressBar b = new ProgressBar(err, System::nanoTime, columns);
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(FRAME_NANOS / 1_000_000);
                    if (!b.tick()) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // closed
            }
        }, "progress");
        t.setDaemon(true);
        b.ticker = t;
        t.start();
        return b;
    }

    @Override
    public synchronized void phase(String what) {
        if (closed) {
            return;
        }
        phase = what;
        hidden = false;
        phaseStart = nanos.getAsLong();
        total = -1;
        done = 0;
        drawnFinal = false;
        draw(false);
    }

    @Override
    public synchronized void total(long total) {
        this.total = total;
        draw(false);
    }

    @Override
    public synchronized void advance(long n) {
        if (closed) {
            return;
        }
        done += n;
        hidden = false;
        boolean complete = total > 0 && done >= total && !drawnFinal;
        draw(complete);
    }

    /** Redraws when a frame is due (the timer's call); false once closed. */
    public synchronized boolean tick() {
        if (closed) {
            return false;
        }
        if (!hidden) {
            draw(false);
        }
        return true;
    }

    @Override
    public synchronized void clear() {
        erase();
        hidden = true;
    }

    /** Prints a whole line on standard error without leaving the bar's text in it; the bar comes back at its next frame. */
    public synchronized void println(String line) {
        erase();
        err.println(line);
        err.flush();
    }

    /** Erases the line; nothing more is drawn. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        erase();
        if (ticker != null) {
            ticker.interrupt();
        }
    }

    private void draw(boolean force) {
        if (closed) {
            return;
        }
        long now = nanos.getAsLong();
        if (now - start < delayNanos) {
            return;
        }
        if (!force && lastFrame != Long.MIN_VALUE && now - lastFrame < FRAME_NANOS) {
            return;
        }
        lastFrame = now;
        if (force) {
            drawnFinal = true;
        }
        String text = frame(now);
        if (text.equals(shown) && !force) {
            return;
        }
        shown = text;
        StringBuilder sb = new StringBuilder(columns + 2).append('\r').append(text);
        for (int i = text.length(); i < shownWidth; i++) {
            sb.append(' ');
        }
        shownWidth = text.length();
        err.print(sb);
        err.flush();
    }

    private void erase() {
        if (shownWidth == 0) {
            return;
        }
        err.print("\r" + " ".repeat(shownWidth) + "\r");
        err.flush();
        shownWidth = 0;
        shown = "";
        lastFrame = Long.MIN_VALUE;
    }

    /**
     * The text of one frame at {@code now}, at most {@code columns - 1} long (a line that wraps
     * cannot be redrawn): the step's text is cut to make room for the figures.
     */
    String frame(long now) {
        String figures = figures(now, BAR_WIDTH);
        int over = phase.length() + figures.length() - (columns - 1);
        if (over > 0 && total > 0) {
            figures = figures(now, Math.max(MIN_BAR_WIDTH, BAR_WIDTH - over));
        }
        int room = columns - 1 - figures.length();
        String p = phase;
        if (p.length() > room) {
            p = room <= 3 ? "" : p.substring(0, room - 3) + "...";
        }
        String text = p + figures;
        return text.length() > columns - 1 ? text.substring(0, columns - 1) : text;
    }

    private String figures(long now, int barWidth) {
        StringBuilder sb = new StringBuilder();
        double secs = Math.max(1e-9, (now - phaseStart) / 1e9);
        if (total > 0) {
            long shown = Math.min(done, total);
            int filled = (int) (barWidth * shown / total);
            sb.append(" [");
            for (int i = 0; i < barWidth; i++) {
                sb.append(i < filled ? '=' : i == filled ? '>' : ' ');
            }
            sb.append("] ").append(number(shown)).append('/').append(number(total))
                    .append(' ').append(shown * 100 / total).append('%');
            if (shown > 0) {
                double rate = shown / secs;
                sb.append(' ').append(number(Math.round(rate))).append("/s");
                if (shown < total) {
                    sb.append(" ETA ").append(duration(Math.round((total - shown) / rate)));
                }
            }
        } else if (done > 0) {
            sb.append(' ').append(number(done)).append(' ').append(number(Math.round(done / secs))).append("/s");
        } else {
            sb.append("...");
        }
        sb.append(' ').append(duration((now - start) / 1_000_000_000L));
        return sb.toString();
    }

    static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + String.format(Locale.ROOT, "%02d", seconds % 60) + "s";
        }
        return seconds / 3600 + "h" + String.format(Locale.ROOT, "%02d", seconds % 3600 / 60) + "m";
    }
}
