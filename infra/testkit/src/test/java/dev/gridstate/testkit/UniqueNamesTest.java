package dev.gridstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UniqueNamesTest {

    @Test
    void shouldNameAfterRunIdPurposeAndCounter() {
        UniqueNames names = new UniqueNames("abc123");

        String first = names.next("jobs");
        String second = names.next("jobs");

        assertThat(first).isEqualTo("gs-test-abc123-jobs-1");
        assertThat(second).isEqualTo("gs-test-abc123-jobs-2");
    }

    @Test
    void shouldRememberEveryNameHandedOutUntilForgotten() {
        UniqueNames names = new UniqueNames("r");
        String queue = names.next("queue");
        String exchange = names.next("exchange");

        names.forget(List.of(queue));

        assertThat(names.handedOut()).containsExactly(exchange);
    }

    @Test
    void shouldRejectPurposeThatIsNotAPlainToken() {
        UniqueNames names = new UniqueNames("r");

        assertThatThrownBy(() -> names.next("two words"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'two words'");
        assertThatThrownBy(() -> names.next(""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(names.handedOut()).isEmpty();
    }
}
