package org.iotbackbone.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {

  @Test
  void markupAndQuotesBecomeEntitiesAndAnAmpersandIsEscapedOnce() {
    assertThat(Html.escape("<b class=\"x\">a & b</b>"))
        .isEqualTo("&lt;b class=&quot;x&quot;&gt;a &amp; b&lt;/b&gt;");
    assertThat(Html.escape("&lt;")).isEqualTo("&amp;lt;");
    assertThat(Html.escape("plain text → ok")).isEqualTo("plain text → ok");
  }
}
