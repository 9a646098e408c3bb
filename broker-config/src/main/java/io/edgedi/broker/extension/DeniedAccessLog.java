package io.edgedi.broker.extension;

import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ServerInitiatedDisconnectInput;
import com.hivemq.extension.sdk.api.interceptor.suback.SubackOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.suback.parameter.SubackOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.suback.parameter.SubackOutboundOutput;
import com.hivemq.extension.sdk.api.packets.general.DisconnectedReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every access HiveMQ denied under the default permissions, with client id, user and role.
 *
 * <p>HiveMQ enforces the permissions itself and reports a denial only to the client, so this class
 * watches where the denial becomes visible: a forbidden PUBLISH ends in a server-initiated
 * DISCONNECT "not authorized" whose reason string names the topic; a forbidden SUBSCRIBE gets
 * SUBACK 0x87 whose reason string names the filter. Both happen once per denial, never on the
 * normal publish path. Thread-safe: stateless, one instance serves every connection.
 */
final class DeniedAccessLog implements ClientLifecycleEventListener, SubackOutboundInterceptor {

  private static final Logger log = LoggerFactory.getLogger(DeniedAccessLog.class);

  @Override
  public void onServerInitiatedDisconnect(ServerInitiatedDisconnectInput input) {
    if (input.getReasonCode().orElse(null) == DisconnectedReasonCode.NOT_AUTHORIZED) {
      log.warn(
          "Denied and disconnected client '{}' ({}): {}",
          input.getClientInformation().getClientId(),
          ConnectionIdentity.describe(
              input.getConnectionInformation().getConnectionAttributeStore()),
          input.getReasonString().orElse("not authorized"));
    }
  }

  @Override
  public void onOutboundSuback(SubackOutboundInput input, SubackOutboundOutput output) {
    if (input.getSubackPacket().getReasonCodes().contains(SubackReasonCode.NOT_AUTHORIZED)) {
      log.warn(
          "Denied subscription of client '{}' ({}): {}",
          input.getClientInformation().getClientId(),
          ConnectionIdentity.describe(
              input.getConnectionInformation().getConnectionAttributeStore()),
          input.getSubackPacket().getReasonString().orElse("not authorized"));
    }
  }

  @Override
  public void onMqttConnectionStart(ConnectionStartInput input) {
    // nothing to log: only denials are of interest here
  }

  @Override
  public void onAuthenticationSuccessful(AuthenticationSuccessfulInput input) {
    // nothing to log: only denials are of interest here
  }

  @Override
  public void onDisconnect(DisconnectEventInput input) {
    // other disconnects are normal operation; refused logins are logged by PasswordAuthenticator
  }
}
