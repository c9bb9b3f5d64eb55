package org.iotbackbone.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectWindowTest {

  // Runs what the window hands it when the test says so, as the fleet's scheduler would later.
  private final List<Runnable> handedOver = new ArrayList<>();
  private final ConnectWindow window = new ConnectWindow(2, handedOver::add);
  private final List<String> started = new ArrayList<>();

  @Test
  void startsConnectsAtOnceWhileTheWindowHasRoom() {
    window.submit(() -> started.add("a"));
    window.submit(() -> started.add("b"));

    assertThat(started).containsExactly("a", "b");
    assertThat(window.inFlight()).isEqualTo(2);
    assertThat(window.waiting()).isZero();
  }

  @Test
  void aConnectPastTheWindowWaitsForOneToEndAndTheWaitingStartInOrder() {
    for (String id : List.of("a", "b", "c", "d")) {
      window.submit(() -> started.add(id));
    }
    assertThat(started).containsExactly("a", "b");
    assertThat(window.waiting()).isEqualTo(2);

    window.end();
    runHandedOver();
    assertThat(started).containsExactly("a", "b", "c");
    // The slot went to c: still two on their way.
    assertThat(window.inFlight()).isEqualTo(2);

    window.end();
    runHandedOver();
    assertThat(started).containsExactly("a", "b", "c", "d");
    assertThat(window.waiting()).isZero();

    window.end();
    window.end();
    assertThat(window.inFlight()).isZero();
    assertThat(handedOver).isEmpty();
  }

  @Test
  void aWaitingConnectStartsOnTheExecutorNotOnTheThreadThatEndedTheOneBefore() {
    window.submit(() -> started.add("a"));
    window.submit(() -> started.add("b"));
    window.submit(() -> started.add("c"));

    window.end();

    assertThat(started).containsExactly("a", "b");
    assertThat(handedOver).hasSize(1);
  }

  @Test
  void whatWaitsIsForgottenWhenTheFleetStops() {
    for (String id : List.of("a", "b", "c")) {
      window.submit(() -> started.add(id));
    }
    window.clear();
    window.end();

    assertThat(handedOver).isEmpty();
    assertThat(window.inFlight()).isEqualTo(1);
  }

  @Test
  void aWindowThatAdmitsNothingIsRefused() {
    assertThatThrownBy(() -> new ConnectWindow(0, Runnable::run))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
  }

  private void runHandedOver() {
    List<Runnable> tasks = new ArrayList<>(handedOver);
    handedOver.clear();
    tasks.forEach(Runnable::run);
  }
}
