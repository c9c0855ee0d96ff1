/**
 * Rule-based segments: declarative predicates over fields, such as
 * {@code age >= 30 and region in ('north', 'west')}, parsed into a tree; the first matching rule
 * names the segment, with a default segment for the rest.
 */
package dev.privseg.core.segment.rules;
