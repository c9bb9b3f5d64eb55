package org.iotbackbone.streamsapp.internal.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.iotbackbone.schemas.Presence;
import org.iotbackbone.schemas.ShadowDocument;
import org.iotbackbone.streamsapp.internal.json.Json;

/** Stored records as the REST API shows them. */
public final class ShadowJson {

  private ShadowJson() {}

  /** A shadow as a get answers it: state with delta, metadata, version, timestamp. */
  public static ObjectNode document(ShadowDocument document, long nowMs) {
    Shadow shadow = Shadow.from(document);
    ObjectNode out = Json.object();
    out.set("state", shadow.state(true));
    out.set("metadata", shadow.metadata());
    out.put("version", shadow.version);
    out.put("timestamp", nowMs / 1000);
    return out;
  }

  /** A device's presence for the operators' device list. */
  public static ObjectNode presence(String deviceId, Presence presence) {
    ObjectNode out = Json.object();
    out.put("deviceId", deviceId);
    out.put("connected", presence != null && presence.getConnected());
    if (presence != null) {
      if (presence.getConnectedAt() != null) {
        out.put("connectedAt", presence.getConnectedAt().toString());
      }
      if (presence.getDisconnectedAt() != null) {
        out.put("disconnectedAt", presence.getDisconnectedAt().toString());
      }
      if (presence.getBroker() != null) {
        out.put("broker", presence.getBroker());
      }
    }
    return out;
  }
}
