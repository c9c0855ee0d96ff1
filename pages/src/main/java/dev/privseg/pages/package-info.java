/**
 * Self-contained HTML pages for a data-protection officer, built from templates (Mustache) with
 * charts (Apache ECharts, inlined, drawn as SVG): {@link dev.privseg.pages.StatusPage} renders a
 * {@link dev.privseg.consent.ComplianceStatus}, {@link dev.privseg.pages.RecordPage} a run's
 * {@link dev.privseg.core.report.ProcessingRecord}. Pages hold counts, ids and times only, as what
 * they render does, and open offline.
 */
package dev.privseg.pages;
