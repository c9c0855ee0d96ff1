/**
 * Schemas: each field's type and privacy role (direct identifier, quasi-identifier, sensitive,
 * special category, other), which minimization and anonymization rules are checked against.
 * {@link dev.privseg.core.schema.SchemaLoader} reads a schema from YAML or JSON.
 */
package dev.privseg.core.schema;
