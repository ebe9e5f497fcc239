import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Writes a Lua table of the node tokens the bench gateway derives (HMAC-SHA256 of region:nodeId,
 * as dev.gridstate.gateway.auth.NodeTokens does), so wrk scripts can send authenticated heartbeats.
 * Usage: java infra/bench/NodeTokensLua.java SECRET REGION NODES > tokens.lua
 */
public class NodeTokensLua {
    public static void main(String[] args) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(args[0].getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        int nodes = Integer.parseInt(args[2]);
        StringBuilder lua = new StringBuilder("return {\n");
        for (int i = 0; i < nodes; i++) {
            byte[] digest = mac.doFinal((args[1] + ":bench-" + i).getBytes(StandardCharsets.UTF_8));
            lua.append("[").append(i).append("]=\"")
               .append(Base64.getUrlEncoder().withoutPadding().encodeToString(digest)).append("\",\n");
        }
        System.out.print(lua.append("}\n"));
    }
}
