package org.iotbackbone.simulator;

/**
 * Text for the HTML pages the reports write (the simulator's and, as a module on top of it, the
 * chaos suite's): no page library is on the class path, and the pages are built as strings.
 */
public final class Html {

  private Html() {}

  /** {@code text} safe in an element or a quoted attribute: {@code & < > "} as entities. */
  public static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
