package org.minewatch.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessagesTest {
  @Test
  void bothLanguagesHaveTheSameWords() {
    assertThat(Messages.of("en").keys())
        .containsExactlyInAnyOrderElementsOf(Messages.of("zh").keys());
    assertThat(Messages.of("zh").get("state.closed")).isEqualTo("销号");
    assertThat(Messages.of("en").f("cases.total", 3)).isEqualTo("3 cases");
    assertThat(Messages.of("fr").lang()).isEqualTo("zh");
    assertThat(Messages.of("en").get("no.such.key")).isEqualTo("??no.such.key??");
  }
}
