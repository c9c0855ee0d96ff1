/**
 * Data subject rights: access and portability exports, rectification, restriction,
 * objection, opt-out and erasure, each request itself recorded without personal values.
 */
package dev.privseg.consent.rights;
