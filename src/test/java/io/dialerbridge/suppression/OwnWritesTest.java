package io.dialerbridge.suppression;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the guard tells its own rows coming back from another writer's (finding 1 of the 2026-12-03 review). */
class OwnWritesTest {

    private final OwnWrites own = new OwnWrites();

    @Test
    void anOlderOwnRowThatLandsAfterANewerOneIsStillKnownAsOurs() {
        own.wrote("record:P", null);
        own.wrote("record:P", "{DISPOSITION}");

        // Two channels' producers: the newer row lands first.
        assertThat(own.readBack("record:P", "{DISPOSITION}")).isTrue();
        assertThat(own.pending("record:P")).isTrue();
        assertThat(own.readBack("record:P", null)).isTrue();
        assertThat(own.pending("record:P")).isFalse();
    }

    @Test
    void aRowNobodyHereWroteIsAnotherWritersEvenWhileOursArePending() {
        own.wrote("record:P", "{DNC}");

        assertThat(own.readBack("record:P", "{OTHER}")).isFalse();
        assertThat(own.pending("record:P")).isTrue();
    }

    @Test
    void aWithdrawnRowIsNoLongerExpected() {
        own.wrote("record:P", "{DNC}");
        own.withdraw("record:P", "{DNC}");

        assertThat(own.pending("record:P")).isFalse();
        assertThat(own.readBack("record:P", "{DNC}")).isFalse();
    }
}
