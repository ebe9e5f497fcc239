package dev.gridstate.state;

/**
 * One message of the change log: entities of one region at one version. {@code since} is when
 * the oldest change it carries was made (epoch ms), so the replicator can measure lag from change
 * to applied. A resync's pages carry its id and their number ({@code page}, from 0); its last
 * message ({@code done}) carries no entities, only how many pages came before it
 * ({@code pages}), and closes it.
 */
public record ChangeMessage(String region, String version, long since, String changes, String resync, int page,
                            boolean done) {

    public static ChangeMessage changes(String region, ChangeLog.Export export, long since) {
        return new ChangeMessage(region, export.version(), since, export.changes(), null, -1, false);
    }

    public static ChangeMessage resyncPage(String region, ChangeLog.Export export, long since, String resync, int page) {
        return new ChangeMessage(region, export.version(), since, export.changes(), resync, page, false);
    }

    /** Closes a resync of {@code pages} pages, begun at {@code version}. */
    public static ChangeMessage resyncDone(String region, String version, long since, String resync, int pages) {
        return new ChangeMessage(region, version, since, "[]", resync, pages, true);
    }

    /** The JSON the apply script reads. Region and resync id are names ([a-z0-9-]), so need no escaping. */
    public String toJson() {
        StringBuilder json = new StringBuilder(changes.length() + 128)
                .append("{\"region\":\"").append(region)
                .append("\",\"v\":\"").append(version)
                .append("\",\"since\":\"").append(since).append('"');
        if (resync != null) {
            json.append(",\"resync\":\"").append(resync).append('"')
                    .append(done ? ",\"done\":true,\"pages\":" : ",\"page\":").append(page);
        }
        return json.append(",\"changes\":").append(changes).append('}').toString();
    }
}
