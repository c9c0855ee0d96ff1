package dev.privseg.service;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code privseg.service.*} properties: where the identity of a caller is read from its
 * token, and the capture endpoints' rate limit.
 */
@ConfigurationProperties("privseg.service")
public class ServiceProperties {
  /** The token claim holding a subject's own id (the CRM's customer id), for the SUBJECT role. */
  private String subjectClaim = "sub";
  /** The token claim holding the caller's roles: SUBJECT, CAPTURE, OPERATOR, DPO. */
  private String rolesClaim = "roles";
  /** Consent captures each caller may make per second; more are refused with 429. */
  private int capturesPerSecond = 500;

  /**
   * Which privseg purposes each IAB TCF purpose number (1 to 11) of a TC or GPP string stands
   * for, e.g. {@code privseg.service.tcf-purposes.3=marketing-segmentation}; none by default.
   */
  private final java.util.Map<Integer, java.util.List<String>> tcfPurposes =
      new java.util.TreeMap<>();
  /**
   * Whether a Global Privacy Control signal ({@code Sec-GPC: 1}) is an opt-out of sale and
   * sharing, as the California regulations require.
   */
  private boolean gpcMeansOptOut = true;

  /** Which privseg purposes each TCF purpose number stands for. */
  public java.util.Map<Integer, java.util.List<String>> getTcfPurposes() {
    return tcfPurposes;
  }

  /** Whether a Global Privacy Control signal is an opt-out of sale and sharing. */
  public boolean isGpcMeansOptOut() {
    return gpcMeansOptOut;
  }

  /** Sets whether a Global Privacy Control signal is an opt-out of sale and sharing. */
  public void setGpcMeansOptOut(boolean gpcMeansOptOut) {
    this.gpcMeansOptOut = gpcMeansOptOut;
  }

  /** The token claim holding a subject's own id. */
  public String getSubjectClaim() {
    return subjectClaim;
  }

  /** Sets the token claim holding a subject's own id. */
  public void setSubjectClaim(String subjectClaim) {
    this.subjectClaim = subjectClaim;
  }

  /** The token claim holding the caller's roles. */
  public String getRolesClaim() {
    return rolesClaim;
  }

  /** Sets the token claim holding the caller's roles. */
  public void setRolesClaim(String rolesClaim) {
    this.rolesClaim = rolesClaim;
  }

  /** Consent captures each caller may make per second. */
  public int getCapturesPerSecond() {
    return capturesPerSecond;
  }

  /** Sets the consent captures each caller may make per second. */
  public void setCapturesPerSecond(int capturesPerSecond) {
    this.capturesPerSecond = capturesPerSecond;
  }
}
