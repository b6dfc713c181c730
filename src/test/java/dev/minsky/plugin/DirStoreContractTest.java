package dev.minsky.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.minsky.MinskyPaths;
import dev.minsky.config.Settings;
import dev.minsky.store.FileStoreContract;
import dev.minsky.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The example plugin's {@code dirstore} backend passes the contract of the built-in three. Its
 * provider comes from the plugin jar built outside this classpath (ExamplePlugin), loaded by
 * Stores from a plugins folder exactly as the CLI loads it.
 */
class DirStoreContractTest extends FileStoreContract {

    @Override
    protected String backend() {
        return "dirstore";
    }

    @Override
    protected Settings freshSettings() {
        try {
            Path home = tmp.resolve("home");
            Path plugins = Files.createDirectories(home.resolve(".config/minsky/plugins"));
            Files.copy(ExamplePlugin.exampleJar(), plugins.resolve("acme-plugin.jar"), StandardCopyOption.REPLACE_EXISTING);
            Plugins.use(MinskyPaths.from(Map.of("HOME", home.toString())));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return super.freshSettings();
    }

    @AfterEach
    void forgetPlugins() {
        Plugins.use(null);
    }

    @Test
    void the_provider_is_the_plugin_jars_not_one_from_this_classpath() {
        assertEquals("com.example.minsky.DirStoreProvider", provider.getClass().getName());
        assertEquals(java.net.URLClassLoader.class, provider.getClass().getClassLoader().getClass(), "loaded from the jar");
        assertNull(Plugins.class.getClassLoader().getResource("com/example/minsky/DirStoreProvider.class"),
                "the example's classes are not on the test classpath");
        assertEquals("dirstore", Stores.provider("dirstore").id());
    }
}
