/**
 * Who may do what on Kafka: the platform's principals and their least-privilege ACLs ({@link
 * org.iotbackbone.schemas.access.Principals}), in Kafka's own ACL types.
 */
package org.iotbackbone.schemas.access;
