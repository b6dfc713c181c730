/**
 * {@code doctor --bundle}: the sanitized bug-report archive. <b>Internal</b>: the only entry
 * point is {@link dev.minsky.doctor.bundle.Bundler#write}. What a plugin author may rely on is
 * the template model documented in {@code docs/bundle.md}: a user template in
 * {@code ~/.config/minsky/templates/bundle/} overrides the shipped one of the same name and sees
 * only sanitized values.
 */
package dev.minsky.doctor.bundle;
