package dev.minsky.util;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Parser limits for files people and other programs write: a YAML alias bomb ("billion laughs"),
 * a value of megabytes or a document nested thousands deep fails fast with a parse error instead of
 * filling the heap or the stack.
 */
public final class BoundedParsers {
    /** Aliases a config file or playbook may expand: real ones use a handful. */
    public static final int MAX_ALIASES = 50;
    public static final int MAX_DEPTH = 64;

    private BoundedParsers() {}

    /** A YAML factory builder for documents of at most {@code maxChars} code points. */
    public static YAMLFactoryBuilder yaml(int maxChars) {
        LoaderOptions lo = new LoaderOptions();
        lo.setMaxAliasesForCollections(MAX_ALIASES);
        lo.setAllowRecursiveKeys(false);
        lo.setNestingDepthLimit(MAX_DEPTH);
        lo.setCodePointLimit(maxChars);
        return YAMLFactory.builder().loaderOptions(lo).streamReadConstraints(constraints(maxChars));
    }

    /** Stream constraints: nesting, one string and one number no longer than a document may be. */
    public static StreamReadConstraints constraints(int maxChars) {
        return StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxStringLength(maxChars)
                .maxNumberLength(1000)
                .maxDocumentLength(maxChars)
                .build();
    }

    /** A JSON factory with the same limits, for small JSON documents (journals, metadata). */
    public static JsonFactory json(int maxChars) {
        return JsonFactory.builder().streamReadConstraints(constraints(maxChars)).build();
    }
}
