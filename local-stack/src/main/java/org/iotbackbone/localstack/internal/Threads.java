package org.iotbackbone.localstack.internal;

import java.util.concurrent.ThreadFactory;

/** Threads of the stack's start-up, which must not keep the JVM alive. */
final class Threads {

  private Threads() {}

  static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
