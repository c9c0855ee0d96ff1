/**
 * The entry point and vocabulary of privseg: {@link dev.privseg.core.Segmentation} starts a
 * pipeline for a {@link dev.privseg.core.Purpose} with its {@link dev.privseg.core.LawfulBasis};
 * subjects are named by {@link dev.privseg.core.SubjectId}. Every configuration error is a
 * {@link dev.privseg.core.ConfigurationException}, every privseg error a
 * {@link dev.privseg.core.PrivsegException}; messages name fields, rows and parameters, never a
 * personal value.
 */
package dev.privseg.core;
