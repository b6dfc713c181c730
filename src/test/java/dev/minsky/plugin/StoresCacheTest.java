package dev.minsky.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.MinskyPaths;
import dev.minsky.store.StoreProvider;
import dev.minsky.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store providers are looked up once per run (every probe asks for them), from several threads
 * at once, and a plugin jar's backend stays among them; a new run ({@link Plugins#use}) looks again.
 */
class StoresCacheTest {
    @TempDir
    Path home;

    @AfterEach
    void forget() {
        Plugins.use(null);
    }

    @Test
    void the_providers_are_looked_up_once_per_run_and_include_a_plugin_jars_backend() throws Exception {
        Plugins.use(MinskyPaths.from(Map.of("HOME", home.toString())));
        List<String> before = Stores.ids();
        assertSame(before, Stores.ids(), "the second call of the same run reuses the first one's list");
        assertSame(Stores.providers(), Stores.providers());
        assertFalse(before.contains("dirstore"), before.toString());

        Path plugins = Files.createDirectories(home.resolve(".config/minsky/plugins"));
        Files.copy(ExamplePlugin.exampleJar(), plugins.resolve("acme-plugin.jar"));
        Plugins.use(MinskyPaths.from(Map.of("HOME", home.toString()))); // the next run
        List<StoreProvider> first = Stores.providers();
        assertTrue(Stores.ids().contains("dirstore"), "the plugin's backend is found: " + Stores.ids());
        assertEquals(before, Stores.ids().subList(0, before.size()), "built-in backends first");

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<List<StoreProvider>>> calls = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                calls.add(Stores::providers);
            }
            for (Future<List<StoreProvider>> f : pool.invokeAll(calls)) {
                assertSame(first, f.get(), "every thread of the run gets the one list");
            }
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS), "the lookups finished");
        }
        assertEquals("com.example.minsky.DirStoreProvider", Stores.provider("dirstore").getClass().getName());

        Plugins.use(MinskyPaths.from(Map.of("HOME", home.resolve("other").toString()))); // a run with another home
        assertNotSame(first, Stores.providers(), "a new run looks again");
        assertFalse(Stores.ids().contains("dirstore"), "that home has no plugin: " + Stores.ids());
    }
}
