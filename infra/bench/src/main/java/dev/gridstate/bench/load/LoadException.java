package dev.gridstate.bench.load;

/** The generator could not connect, or a run could not be carried out. */
public class LoadException extends RuntimeException {

    public LoadException(String message) {
        super(message);
    }

    public LoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
