package dev.minsky.doctor.bundle;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * Renders the bundle's reports with FreeMarker. Templates are looked up by name first in the
 * user's directory ({@code ~/.config/minsky/templates/}, e.g. {@code bundle/report.md.ftl}) and
 * then in the jar ({@code templates/}), so a user file overrides a shipped one of the same name.
 * Templates see only the sanitized model (maps, lists, strings, numbers), and cannot create Java
 * objects or reach the API ({@code ?new} and {@code ?api} are off): a template cannot print a
 * value the sanitizer has not seen.
 */
final class Reports {
    private final Configuration cfg;

    Reports(Path userTemplates) {
        cfg = new Configuration(Configuration.VERSION_2_3_34);
        List<TemplateLoader> loaders = new ArrayList<>();
        if (userTemplates != null && Files.isDirectory(userTemplates)) {
            try {
                loaders.add(new FileTemplateLoader(userTemplates.toFile()));
            } catch (IOException e) {
                // an unreadable override directory falls back to the shipped templates
            }
        }
        loaders.add(new ClassTemplateLoader(Reports.class.getClassLoader(), "templates"));
        cfg.setTemplateLoader(new MultiTemplateLoader(loaders.toArray(new TemplateLoader[0])));
        cfg.setDefaultEncoding("UTF-8");
        cfg.setLocale(Locale.ROOT);
        cfg.setTimeZone(TimeZone.getTimeZone("UTC"));
        cfg.setNumberFormat("computer");
        cfg.setBooleanFormat("c");
        cfg.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        cfg.setAPIBuiltinEnabled(false);
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        cfg.setFallbackOnNullLoopVariable(false);
    }

    String render(String name, Map<String, Object> model) {
        try {
            Template t = cfg.getTemplate(name);
            StringWriter w = new StringWriter();
            t.process(model, w);
            return w.toString();
        } catch (freemarker.core.ParseException e) {
            throw new MinskyException(ExitCode.BAD_INPUT, "cannot render report template " + name + ": "
                    + firstLine(e.getEditorMessage()) + " at line " + e.getLineNumber(),
                    "fix the template, or remove your override from ~/.config/minsky/templates/ to use the shipped one");
        } catch (TemplateException e) {
            // the message names the template and line; values in it are sanitized later like everything else
            throw new MinskyException(ExitCode.BAD_INPUT, "cannot render report template " + name + ": "
                    + firstLine(e.getMessageWithoutStackTop()),
                    "fix the template, or remove your override from ~/.config/minsky/templates/ to use the shipped one");
        } catch (IOException e) {
            throw new MinskyException(ExitCode.INTERNAL, "cannot load report template " + name + ": " + e.getMessage(),
                    "reinstall minsky, or check ~/.config/minsky/templates/", e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
