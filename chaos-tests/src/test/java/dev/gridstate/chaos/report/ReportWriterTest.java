package dev.gridstate.chaos.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ReportWriterTest {

    private static final String SVG_NS = "http://www.w3.org/2000/svg";
    private static final String RED = "#cf222e";

    @TempDir
    Path dir;

    @Test
    void shouldReadBackAnEqualReportFromItsJson() throws IOException {
        DrillReport report = drill(passing("a"), failing("b"));
        Path file = dir.resolve("drill.json");

        ReportWriter.writeJson(report, file);

        assertThat(ReportWriter.readJson(file)).isEqualTo(report);
    }

    @Test
    void shouldWriteTheDerivedVerdictsIntoTheJson() throws IOException {
        Path file = dir.resolve("drill.json");

        ReportWriter.writeJson(drill(passing("a"), failing("b")), file);

        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.path("passed").isBoolean()).isTrue();
        assertThat(json.path("passed").booleanValue()).isFalse();
        assertThat(json.path("scenarios").get(0).path("passed").booleanValue()).isTrue();
        assertThat(json.path("scenarios").get(1).path("passed").isBoolean()).isTrue();
        assertThat(json.path("scenarios").get(1).path("passed").booleanValue()).isFalse();
    }

    @Test
    void shouldDrawOneChartPerScenario() throws Exception {
        Document html = html(drill(passing("a"), failing("b"), empty("c")));

        assertThat(html.getElementsByTagNameNS(SVG_NS, "svg").getLength()).isEqualTo(3);
    }

    @Test
    void shouldShowAScenarioWithOneFailedFigureAndItsDrillAsFail() throws Exception {
        Document html = html(drill(passing("a"), failing("b")));

        assertThat(text(html, "//*[@id='drill-verdict']")).isEqualTo("FAIL");
        assertThat(text(html, "//table[@id='summary']//tr[td//code='a']/td[3]")).isEqualTo("PASS");
        assertThat(text(html, "//table[@id='summary']//tr[td//code='b']/td[3]")).isEqualTo("FAIL");
        assertThat(text(html, "//section[@id='scenario-2']/h2/span")).isEqualTo("FAIL");
        assertThat(text(html, "//section[@id='scenario-2']//table[@class='figures']//tr[3]/td[4]")).isEqualTo("fail");
    }

    @Test
    void shouldShowADrillWhoseScenariosAllPassedAsPass() throws Exception {
        Document html = html(drill(passing("a"), passing("b")));

        assertThat(text(html, "//*[@id='drill-verdict']")).isEqualTo("PASS");
        assertThat(text(html, "//section[@id='scenario-2']/h2/span")).isEqualTo("PASS");
    }

    @Test
    void shouldEscapeTextFromTheReport() throws IOException {
        ScenarioResult hostile = new ScenarioResult("x<y", "<script>alert('t & \"q\"')</script>", "cut <link>",
                1000, 2000, 3000, samples(3, "closed"), List.of(new Figure("a<b", "1", "< 2", true)), "boom </pre>");
        Path file = dir.resolve("drill.html");

        ReportWriter.writeHtml(drill(hostile), file);

        String html = Files.readString(file);
        assertThat(html).doesNotContain("<script", "<link", "x<y", "a<b", "boom </pre>")
                .contains("&lt;script&gt;alert(&#39;t &amp; &quot;q&quot;&#39;)&lt;/script&gt;", "x&lt;y");
    }

    @Test
    void shouldReferNothingOutsideTheFile() throws IOException {
        Path file = dir.resolve("drill.html");

        ReportWriter.writeHtml(drill(passing("a"), failing("b")), file);

        String html = Files.readString(file).replace("xmlns=\"" + SVG_NS + "\"", "");
        assertThat(html).doesNotContain("http://", "https://", "<script", "<link", "<img", "url(", "@import");
    }

    @Test
    void shouldShadeTheFaultWindowOnEveryChart() throws Exception {
        Document html = html(drill(passing("a"), failing("b")));

        NodeList windows = (NodeList) XPathFactory.newInstance().newXPath()
                .evaluate("//*[@data-role='fault-window']", html, XPathConstants.NODESET);
        assertThat(windows.getLength()).isEqualTo(2);
        assertThat(Double.parseDouble(((Element) windows.item(0)).getAttribute("width"))).isPositive();
        assertThat(text(html, "//section[@id='scenario-1']//*[local-name()='text'][.='fault']")).isEqualTo("fault");
        assertThat(text(html, "//section[@id='scenario-1']//*[local-name()='text'][.='lifted']")).isEqualTo("lifted");
    }

    @Test
    void shouldShadeALongerFaultWider() throws Exception {
        ScenarioResult shortFault = scenario("short", 10_000, 20_000, samples(60, "closed"), true);
        ScenarioResult longFault = scenario("long", 10_000, 40_000, samples(60, "closed"), true);

        double shortWidth = faultWindowWidth(svg(shortFault));
        double longWidth = faultWindowWidth(svg(longFault));

        assertThat(longWidth).isCloseTo(shortWidth * 3, within(0.5));
    }

    @Test
    void shouldWriteAWellFormedStandaloneSvg() throws Exception {
        Path file = dir.resolve("timeline.svg");

        ReportWriter.writeSvg(failing("b"), file);

        Document svg = parse(Files.readString(file));
        assertThat(svg.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(svg.getDocumentElement().getNamespaceURI()).isEqualTo(SVG_NS);
        assertThat(svg.getElementsByTagNameNS(SVG_NS, "title").item(0).getTextContent()).isEqualTo("Scenario b");
        assertThat(svg.getElementsByTagNameNS(SVG_NS, "polyline").getLength()).isPositive();
    }

    @Test
    void shouldDrawAxesAndANoteForAScenarioWithNoSamples() throws Exception {
        Document svg = svg(empty("c"));

        assertThat(svg.getElementsByTagNameNS(SVG_NS, "polyline").getLength()).isZero();
        assertThat(texts(svg)).contains("no samples", "0", "seconds since the scenario started");
    }

    @Test
    void shouldDrawOpenBreakerSecondsInRed() throws Exception {
        List<Sample> samples = new ArrayList<>(samples(10, "closed"));
        for (int i = 3; i < 6; i++) {
            Sample s = samples.get(i);
            samples.set(i, new Sample(s.atMs(), s.requests(), s.errors(), s.p99Ms(), "open", 3, 3));
        }

        Document svg = svg(scenario("breaker", 3000, 6000, samples, true));

        List<Element> open = byAttribute(svg, "data-state", "open");
        List<Element> closed = byAttribute(svg, "data-state", "closed");
        assertThat(open).isNotEmpty().allSatisfy(rect -> assertThat(rect.getAttribute("fill")).isEqualTo(RED));
        assertThat(closed).isNotEmpty().allSatisfy(rect -> assertThat(rect.getAttribute("fill")).isNotEqualTo(RED));
    }

    private static DrillReport drill(ScenarioResult... scenarios) {
        return new DrillReport("2026-12-01T16:00:00Z", "local topology", List.of(scenarios));
    }

    private static ScenarioResult passing(String id) {
        return scenario(id, 10_000, 40_000, samples(60, "closed"), true);
    }

    private static ScenarioResult failing(String id) {
        return scenario(id, 10_000, 40_000, samples(60, "open"), false);
    }

    private static ScenarioResult empty(String id) {
        return new ScenarioResult(id, "Scenario " + id, "nothing ran", 0, 0, 0, List.of(), List.of(), "setup failed");
    }

    /** Two figures; the second fails unless {@code passed}. */
    private static ScenarioResult scenario(String id, long faultStartMs, long faultEndMs, List<Sample> samples,
                                           boolean passed) {
        List<Figure> figures = List.of(new Figure("client requests failed", "0", "= 0", true),
                new Figure("breaker open after", passed ? "1.4 s" : "9 s", "≤ 6 s", passed));
        return new ScenarioResult(id, "Scenario " + id, "regional Redis of eu cut", faultStartMs, faultEndMs,
                samples.size() * 1000L, samples, figures, null);
    }

    private static List<Sample> samples(int seconds, String breaker) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            samples.add(new Sample(i * 1000L, 200 + i, i % 7, 12.5 + i, breaker, 3, 3));
        }
        return samples;
    }

    private Document html(DrillReport report) throws Exception {
        Path file = dir.resolve("drill.html");
        ReportWriter.writeHtml(report, file);
        return parse(Files.readString(file));
    }

    private static Document svg(ScenarioResult scenario) throws Exception {
        return parse(ReportWriter.svg(scenario));
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(UTF_8)));
    }

    private static String text(Document doc, String xpath) throws Exception {
        return XPathFactory.newInstance().newXPath().evaluate(xpath, doc).trim();
    }

    private static List<String> texts(Document svg) {
        NodeList nodes = svg.getElementsByTagNameNS(SVG_NS, "text");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }

    private static List<Element> byAttribute(Document doc, String name, String value) {
        NodeList all = doc.getElementsByTagNameNS("*", "*");
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (value.equals(e.getAttribute(name))) {
                found.add(e);
            }
        }
        return found;
    }

    private static double faultWindowWidth(Document svg) {
        return Double.parseDouble(byAttribute(svg, "data-role", "fault-window").get(0).getAttribute("width"));
    }
}
