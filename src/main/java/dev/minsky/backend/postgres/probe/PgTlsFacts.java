package dev.minsky.backend.postgres.probe;

import dev.minsky.doctor.probe.ProbeContext;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the server's certificate says, as facts: subject, issuer, expiry, the names it is issued
 * for, whether the chain verifies against the CA file the driver would use and whether it names
 * the host. Computed from the chain {@link PgWireProbe} read; the CA file is only read.
 */
final class PgTlsFacts {
    private PgTlsFacts() {}

    static void emit(ProbeContext ctx, List<X509Certificate> chain, String rootCert, String host, Instant now) {
        if (chain.isEmpty()) {
            return;
        }
        X509Certificate leaf = chain.get(0);
        ctx.emit("postgres.tls.server.subject", leaf.getSubjectX500Principal().getName());
        ctx.emit("postgres.tls.server.issuer", leaf.getIssuerX500Principal().getName());
        ctx.emit("postgres.tls.server.notAfter", leaf.getNotAfter().toInstant().toString());
        ctx.emit("postgres.tls.server.expired", leaf.getNotAfter().toInstant().isBefore(now));
        ctx.emit("postgres.tls.server.daysLeft", Duration.between(now, leaf.getNotAfter().toInstant()).toDays());
        List<String> names = names(leaf);
        ctx.emit("postgres.tls.server.names", String.join(", ", names));
        ctx.emit("postgres.tls.hostnameMatches", matches(names, host));
        if (rootCert != null && !"system".equals(rootCert)) {
            Path root = Path.of(rootCert);
            if (Files.isRegularFile(root) && Files.isReadable(root)) {
                Boolean trusted = verifies(chain, root, now);
                if (trusted != null) {
                    ctx.emit("postgres.tls.chainTrusted", trusted);
                }
            }
        }
    }

    /** DNS and IP subject alternative names; the CN when there are none (as older clients do). */
    static List<String> names(X509Certificate c) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = c.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    Object type = san.get(0);
                    if (Integer.valueOf(2).equals(type) || Integer.valueOf(7).equals(type)) {
                        out.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            // fall back to the CN
        }
        if (out.isEmpty()) {
            String dn = c.getSubjectX500Principal().getName();
            for (String part : dn.split(",")) {
                if (part.trim().startsWith("CN=")) {
                    out.add(part.trim().substring(3));
                }
            }
        }
        return out;
    }

    static boolean matches(List<String> names, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String n : names) {
            String name = n.toLowerCase(Locale.ROOT);
            if (name.equals(h)) {
                return true;
            }
            if (name.startsWith("*.") && h.indexOf('.') > 0 && h.substring(h.indexOf('.')).equals(name.substring(1))) {
                return true;
            }
            try {
                if (looksLikeIp(name) && looksLikeIp(h) && InetAddress.getByName(name).equals(InetAddress.getByName(h))) {
                    return true;
                }
            } catch (java.net.UnknownHostException e) {
                // not an address
            }
        }
        return false;
    }

    private static boolean looksLikeIp(String s) {
        return s.matches("[0-9.]+") || s.contains(":");
    }

    /** True when the chain verifies against the CA file, false when not, null when the file holds no certificate. */
    static Boolean verifies(List<X509Certificate> chain, Path caFile, Instant now) {
        try (InputStream in = Files.newInputStream(caFile)) {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            Set<TrustAnchor> anchors = new HashSet<>();
            for (java.security.cert.Certificate c : cf.generateCertificates(in)) {
                if (c instanceof X509Certificate x) {
                    anchors.add(new TrustAnchor(x, null));
                }
            }
            if (anchors.isEmpty()) {
                return null;
            }
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(java.util.Date.from(now));
            List<X509Certificate> path = new ArrayList<>(chain);
            while (path.size() > 1 && path.get(path.size() - 1).getSubjectX500Principal()
                    .equals(path.get(path.size() - 1).getIssuerX500Principal())) {
                path.remove(path.size() - 1); // a self-signed root the server sent along is the anchor, not the path
            }
            CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(path), params);
            return true;
        } catch (java.security.cert.CertPathValidatorException e) {
            return false;
        } catch (Exception e) {
            return null;
        }
    }
}
