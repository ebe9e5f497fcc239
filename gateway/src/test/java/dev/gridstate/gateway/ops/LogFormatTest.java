package dev.gridstate.gateway.ops;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's logback.xml as the jar uses it: JSON lines by default, text on LOG_FORMAT=text. */
class LogFormatTest {

    private static final Path CONFIG = Path.of("src/main/resources/logback.xml");

    @Test
    void shouldWriteOneJsonObjectPerLineWithTheRequestId() throws Exception {
        String out = logOneLine(null);

        JsonNode line = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
        assertThat(line.path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("loggerName").asText()).isEqualTo("gateway.test");
        assertThat(line.path("formattedMessage").asText()).isEqualTo("node n1 refused: quota");
        assertThat(line.path("mdc").path("requestId").asText()).isEqualTo("req-1");
        assertThat(line.has("timestamp")).isTrue();
    }

    @Test
    void shouldWriteTextWhenAsked() throws Exception {
        String out = logOneLine("text");

        assertThat(out).contains("WARN").contains("[req-1]").contains("node n1 refused: quota").doesNotContain("{");
    }

    private static String logOneLine(String format) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        if (format != null) {
            context.putProperty("LOG_FORMAT", format);
        }
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(CONFIG.toFile());
            MDC.put("requestId", "req-1");
            context.getLogger("gateway.test").warn("node {} refused: {}", "n1", "quota");
        } finally {
            MDC.remove("requestId");
            context.stop();
            System.setOut(stdout);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
