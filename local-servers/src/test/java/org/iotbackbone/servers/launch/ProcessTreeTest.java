package org.iotbackbone.servers.launch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When {@code kill}'s complaints still mean the tree got its signal. */
class ProcessTreeTest {

  @Test
  void aDescendantGoneBeforeTheSignalIsNoFailure() {
    assertThat(ProcessTree.onlyDescendantsGone("kill: (26395): No such process\n", 24335)).isTrue();
    assertThat(
            ProcessTree.onlyDescendantsGone(
                "kill: (26395): No such process\nkill: (26396): No such process\n", 24335))
        .isTrue();
  }

  @Test
  void theRootGoneOrAnyOtherComplaintIsAFailure() {
    assertThat(ProcessTree.onlyDescendantsGone("kill: (24335): No such process\n", 24335))
        .isFalse();
    assertThat(
            ProcessTree.onlyDescendantsGone(
                "kill: (26395): No such process\nkill: (26396): Operation not permitted\n", 24335))
        .isFalse();
    assertThat(ProcessTree.onlyDescendantsGone("", 24335)).isFalse();
  }
}
