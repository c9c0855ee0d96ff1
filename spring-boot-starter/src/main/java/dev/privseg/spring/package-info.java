/**
 * privseg's Spring Boot starter: {@link dev.privseg.spring.PrivsegAutoConfiguration} sets up the
 * consent database, key, ledger and health from the application's {@code DataSource};
 * {@link dev.privseg.spring.PrivsegProperties} are its {@code privseg.*} properties.
 */
package dev.privseg.spring;
