package dev.gridstate.gateway.subcloud;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SubcloudMemberStatusTest {

    @Test
    void shouldCallANodeWithoutRecordUnknownAndNeverRoutable() {
        assertThat(MemberStatus.of("n1", "", false, true)).isEqualTo(new MemberStatus("n1", "unknown", null, false));
    }

    @Test
    void shouldKeepTheLastStateOfAnOfflineNode() {
        assertThat(MemberStatus.of("n1", "busy", false, false)).isEqualTo(new MemberStatus("n1", "offline", "busy", false));
    }

    @Test
    void shouldShowAnOnlineNodeAsTheStoreJudgedIt() {
        assertThat(MemberStatus.of("n1", "idle", true, true)).isEqualTo(new MemberStatus("n1", "online", "idle", true));
        assertThat(MemberStatus.of("n1", "draining", true, false)).isEqualTo(new MemberStatus("n1", "online", "draining", false));
    }
}
