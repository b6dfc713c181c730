/**
 * Plugin loading. A plugin is a jar in {@code ~/.config/minsky/plugins/} that registers probes,
 * remediation actions or store backends with {@link java.util.ServiceLoader}, and/or YAML
 * playbooks in {@code ~/.config/minsky/knowledge-base/}. Everything not named as public plugin API
 * in its package's documentation is internal and may change.
 */
package dev.minsky.plugin;
