package org.iotbackbone.capacity;

/**
 * An EC2 instance type as the model sizes and prices it.
 *
 * @param name the type, e.g. {@code m6i.xlarge}
 * @param vcpus its vCPUs, each taken as one core of the benchmark machine
 * @param memoryGib its memory
 * @param nvmeGb its local NVMe storage, 0 for none
 * @param usdPerHour its on-demand price
 */
public record InstanceType(
    String name, int vcpus, double memoryGib, double nvmeGb, double usdPerHour) {}
