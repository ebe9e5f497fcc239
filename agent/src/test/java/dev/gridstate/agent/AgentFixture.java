package dev.gridstate.agent;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What most agent tests share: a fake gateway answering with a 100 ms interval, a recording listener,
 * and the agents a test builds, all closed after each test. Register it as a field:
 * {@code @RegisterExtension final AgentFixture fixture = new AgentFixture();}
 */
final class AgentFixture implements AfterEachCallback {

    private final FakeGateway gateway = FakeGateway.start().intervalMs(100);
    private final RecordingListener listener = new RecordingListener();
    private final List<NodeAgent> agents = new CopyOnWriteArrayList<>();

    FakeGateway gateway() {
        return gateway;
    }

    RecordingListener listener() {
        return listener;
    }

    /** A builder aimed at the fake gateway and reporting to the recording listener; more settings may follow. */
    NodeAgentBuilder builder() {
        return NodeAgent.builder().gateway(gateway.uri()).listener(listener);
    }

    /** Builds the agent; it is closed after the test. */
    NodeAgent build(NodeAgentBuilder builder) {
        NodeAgent agent = builder.build();
        agents.add(agent);
        return agent;
    }

    /** An agent serving the one node, with the default settings. */
    NodeAgent agent(String nodeId) {
        return build(builder().node(TestNodes.spec(nodeId)));
    }

    /** An agent serving nodes {@code n1} … {@code n<count>}, with the default settings. */
    NodeAgent agent(int count) {
        return build(builder().nodes(TestNodes.specs("n", count)));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        agents.forEach(NodeAgent::close);
        gateway.close();
    }
}
