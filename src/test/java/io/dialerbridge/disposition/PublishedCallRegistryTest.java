package io.dialerbridge.disposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PublishedCallRegistryTest {

    @Test
    void remembersCallsUpToItsCapacityForgettingTheOldestFirst() {
        PublishedCallRegistry registry = new PublishedCallRegistry(2);

        registry.add("a");
        registry.add("b");
        registry.add("c");

        assertThat(registry.contains("a")).isFalse();
        assertThat(registry.contains("b")).isTrue();
        assertThat(registry.contains("c")).isTrue();
        assertThat(registry.size()).isEqualTo(2);
    }

    @Test
    void aCallSeenAgainIsForgottenLast() {
        PublishedCallRegistry registry = new PublishedCallRegistry(2);
        registry.add("a");
        registry.add("b");

        registry.add("a");
        registry.add("c");

        assertThat(registry.contains("a")).isTrue();
        assertThat(registry.contains("b")).isFalse();
    }

    @Test
    void aRemovedCallIsForgotten() {
        PublishedCallRegistry registry = new PublishedCallRegistry(2);
        registry.add("a");

        registry.remove("a");

        assertThat(registry.contains("a")).isFalse();
    }

    @Test
    void needsRoomForOneCall() {
        assertThatThrownBy(() -> new PublishedCallRegistry(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
