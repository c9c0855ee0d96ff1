package dev.privseg.consent.rights;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A run registered in a {@link MembershipRegistry}: what explains its segments to the people in
 * them, and when it was registered.
 *
 * @param runId the processing record's run id
 * @param purpose the purpose of the run
 * @param algorithm the segmentation algorithm
 * @param logic a plain-language description of how segments are made and used
 * @param registeredAt when it was registered; null for a run registered before the consent
 *     database recorded it (schema version 8)
 * @param registeredMembers how many members it registered; empty for a run registered before
 *     the consent database recorded it (schema version 16)
 * @param members how many memberships it holds now: those registered less those of subjects
 *     erased since
 * @param recordDigest the run's {@link
 *     dev.privseg.core.report.ProcessingRecord#digest() processing record digest}; empty for a
 *     run registered before the consent database recorded it (schema version 17)
 */
public record RegisteredRun(String runId, String purpose, String algorithm, String logic,
    Instant registeredAt, OptionalLong registeredMembers, long members,
    Optional<String> recordDigest) {}
