package dev.gridstate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/** POSIX signals Java cannot send itself (SIGSTOP, SIGCONT), through kill(1). */
final class Signals {

    private Signals() {
    }

    static void send(String signal, ProcessHandle process) {
        String command = "kill -" + signal + " " + process.pid();
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException("'" + command + "' did not finish within 5 s");
            }
            if (kill.exitValue() != 0) {
                String output = new String(kill.getInputStream().readAllBytes()).strip();
                throw new IllegalStateException("'" + command + "' failed with exit code "
                        + kill.exitValue() + ": " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run '" + command + "'", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running '" + command + "'", e);
        }
    }
}
