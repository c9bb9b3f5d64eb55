package org.iotbackbone.streamsapp;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * What a well-behaved REST client does with a 503: waits the {@code Retry-After} seconds and asks
 * again. The multi-instance ITs need it because an instance may rebalance at any moment of a test
 * (a follow-up rebalance after the second instance joined, CI runs at 0f469a6 and d16f527), and
 * every store read then answers 503 for a moment; a test that asserts a 200 would fail on that
 * moment rather than on a defect. A 503 that lasts longer than {@code limit} is returned as it is.
 */
final class RetryAfter {

  private static final Duration LIMIT = Duration.ofSeconds(120);

  private RetryAfter() {}

  static HttpResponse<String> honoured(Callable<HttpResponse<String>> call) throws Exception {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (true) {
      HttpResponse<String> response = call.call();
      var retryAfter = response.headers().firstValue("Retry-After");
      if (response.statusCode() != 503 || retryAfter.isEmpty() || System.nanoTime() > deadline) {
        return response;
      }
      Thread.sleep(Math.min(5_000, Long.parseLong(retryAfter.get().trim()) * 1_000));
    }
  }
}
