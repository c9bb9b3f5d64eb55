package org.iotbackbone.servers.internal;

import java.util.regex.Pattern;
import org.iotbackbone.servers.launch.Launch;

/**
 * How to start one server process.
 *
 * @param launch the process, its arguments, environment and working directory; the server's
 *     lifecycle adds its log file and whether it outlives its starter
 * @param readyLine a log line that says the server is ready; the server's own readiness check is
 *     asked after it appeared
 */
public record ProcessSpec(Launch launch, Pattern readyLine) {}
