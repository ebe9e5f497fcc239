package dev.gridstate.gateway.status;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.stream.Stream;

/**
 * Debian's Chromium, headless, driven by Playwright: never a downloaded browser, a fresh profile
 * per run (deleted on close), and the flags without which Chromium's own background connections
 * are refused on a closed network. Every wait is bounded: Playwright's actions and assertions by
 * {@link #WAIT}, longer ones by the constants below.
 */
final class StatusBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** Actions and assertions: a snapshot comes every second, so this is many of them. */
    static final Duration WAIT = Duration.ofSeconds(10);
    /** A fault the gateway notices through its breaker (three PINGs of the test gateway's 1 s timeout, then a snapshot). */
    static final Duration FAULT_SHOWN_WITHIN = Duration.ofSeconds(20);
    /** The page's retries back off 1, 2, 4, 8, 16 s; a restarted gateway is found within two of them. */
    static final Duration RECONNECT_WITHIN = Duration.ofSeconds(40);
    private static final Path SCREENSHOTS = Path.of("target");
    private static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync");

    private final Playwright playwright;
    private final BrowserContext context;
    private final Path profile;
    private final Map<Page, List<String>> errors = Collections.synchronizedMap(new WeakHashMap<>());

    private StatusBrowser(Playwright playwright, BrowserContext context, Path profile) {
        this.playwright = playwright;
        this.context = context;
        this.profile = profile;
    }

    /** Fails (not skips) without Chromium: the test is part of the suite, and install.sh provides it. */
    static void requireChromium() {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new AssertionError(CHROMIUM + " is missing: the status page's browser test needs Debian's Chromium; "
                    + "run infra/local/install.sh");
        }
    }

    static StatusBrowser launch() {
        requireChromium();
        Path profile;
        try {
            profile = Files.createTempDirectory("status-page-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a profile directory for Chromium", e);
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            BrowserContext context = playwright.chromium().launchPersistentContext(profile,
                    new BrowserType.LaunchPersistentContextOptions()
                            .setExecutablePath(CHROMIUM)
                            .setHeadless(true)
                            .setArgs(ARGS)
                            .setViewportSize(1280, 900)
                            .setTimeout(WAIT.toMillis() * 3));
            context.setDefaultTimeout(WAIT.toMillis());
            context.setDefaultNavigationTimeout(WAIT.toMillis());
            PlaywrightAssertions.setDefaultAssertionTimeout(WAIT.toMillis());
            return new StatusBrowser(playwright, context, profile);
        } catch (RuntimeException e) {
            playwright.close();
            delete(profile);
            throw e;
        }
    }

    /** A new tab; what it logs as an error, and any script error, is kept for {@link #errors}. */
    Page newPage() {
        Page page = context.newPage();
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        errors.put(page, seen);
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) {
                seen.add(m.text());
            }
        });
        page.onPageError(e -> seen.add("uncaught: " + e));
        return page;
    }

    List<String> errors(Page page) {
        return List.copyOf(errors.getOrDefault(page, List.of()));
    }

    /** The whole page, to {@code gateway/target/<name>}. */
    void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name)).setFullPage(true));
    }

    @Override
    public void close() {
        try {
            context.close();
        } finally {
            playwright.close();
            delete(profile);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete Chromium's profile " + dir, e);
        }
    }
}
