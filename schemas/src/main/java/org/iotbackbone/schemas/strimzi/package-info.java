/**
 * Strimzi resources generated from the code's single definitions of topics and principals ({@link
 * org.iotbackbone.schemas.strimzi.StrimziResources}).
 */
package org.iotbackbone.schemas.strimzi;
